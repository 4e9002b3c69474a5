-- store 0002 (part of 0002 of the single list kept until 0019): the epoch the merge keeps
-- beside a field's clock.
--
-- Fields whose merge is not plain last-writer-wins keep an epoch beside their clock: for
-- reading progress, the clock of the last reset (a change that lowered it); for a tag's
-- presence, the clock of the add that an add made, or that a removal had seen.
ALTER TABLE field_clock ADD COLUMN epoch INTEGER;
