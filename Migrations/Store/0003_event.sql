-- store 0003 (0003 of the single list kept until 0019): the reader's corrections of event grouping. An item's `event` names the event the
-- reader put it in (merge, split, assign); it is a field like any other, so it is recorded in
-- the change log and syncs. NULL leaves the item to automatic grouping.
ALTER TABLE item ADD COLUMN event TEXT;
