-- store 0008 (part of 0011 of the single list kept until 0019): the few articles a reader put
-- in an event by hand, by outlet, so that `compare` finds shared events without reading every
-- article of the outlets.
CREATE INDEX item_corrected_event ON item (source) WHERE event IS NOT NULL;
