-- The approval chain a plan was submitted into: 1 with its unit's parent step, 0 without,
-- -1 before its first submission. A unit that gains a parent while its plan waits does not
-- send the plan back to a step it never had; one that loses its parent skips that step.
ALTER TABLE plans ADD COLUMN chain_parent INTEGER NOT NULL DEFAULT -1;
