-- nSequence of each input (NULL when the source did not give it). Used by the WabiSabi
-- CoinJoin detector (heuristics.md §2.3: every input of a Wasabi 2 round has 0xffffffff).
ALTER TABLE tx_input ADD COLUMN sequence INTEGER;
