-- A narrow index of the case list's visibility mask: a lead's "Fall 1 von N" counts the
-- agency's cases along it instead of reading every wide row (docs/performance.md § 2).
CREATE INDEX case_list_visible ON case_list (visible_to);
