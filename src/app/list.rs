//! State of the case list: a window of rows fetched page by page with keyset anchors, so
//! only visible rows are ever built, however many cases exist.

use crate::domain::{CaseId, Staff};
use crate::model::list::{CaseRow, ListQuery, PageAnchor, SortColumn};
use crate::storage::{StorageError, Store};

/// The case list's state.
#[derive(Debug, Default)]
pub struct CaseList {
    /// Filter text and sort order.
    pub query: ListQuery,
    /// The rows in the window (at most `page` rows).
    pub rows: Vec<CaseRow>,
    /// Index of the selected row in `rows`.
    pub selected: usize,
    /// Position of `rows[0]` in the whole list (0-based).
    pub offset: usize,
    /// Number of cases matching the query.
    pub total: usize,
    /// Rows that fit on screen.
    pub page: usize,
    /// Whether the filter field has the focus.
    pub filtering: bool,
    /// Whether the filter field takes a case number for break-glass instead of a filter
    /// (docs/access.md A6), and the number typed.
    pub lookup: Option<String>,
    /// The case found by the last lookup: only it may ask for break-glass.
    pub looked_up: Option<CaseId>,
    /// Whether counts wait for idle time: `total` and `offset` are then computed after the
    /// frame that shows the rows, by [`CaseList::settle`], so that no keystroke waits for
    /// the count of a long list (docs/performance.md § 2). Off, every reload counts at once.
    pub defer_counts: bool,
    /// `total` still waits for its count.
    pub total_pending: bool,
    /// `offset` still waits for the rank of the first row.
    pub offset_pending: bool,
}

impl CaseList {
    /// The selected row, if any.
    pub fn current(&self) -> Option<&CaseRow> {
        self.rows.get(self.selected)
    }

    /// Position of the selected row in the whole list (1-based), 0 when empty; `None`
    /// while the rank waits for idle time.
    pub fn position(&self) -> Option<usize> {
        if self.rows.is_empty() {
            Some(0)
        } else if self.offset_pending {
            None
        } else {
            Some(self.offset + self.selected + 1)
        }
    }

    /// The number of matching cases; `None` while the count waits for idle time.
    pub fn shown_total(&self) -> Option<usize> {
        if self.rows.is_empty() {
            Some(0)
        } else if self.total_pending {
            None
        } else {
            Some(self.total)
        }
    }

    /// Whether a count or a rank waits for idle time.
    pub fn unsettled(&self) -> bool {
        self.total_pending || self.offset_pending
    }

    /// Counts now, or marks the count for idle time.
    fn recount(&mut self, store: &Store, me: &Staff) -> Result<(), StorageError> {
        if self.defer_counts {
            self.total_pending = true;
        } else {
            self.total = store.case_count(me, &self.query)?;
            self.total_pending = false;
        }
        Ok(())
    }

    /// Ranks the first row now, or marks the rank for idle time.
    fn rerank(&mut self, store: &Store, me: &Staff) -> Result<(), StorageError> {
        if self.defer_counts {
            self.offset_pending = !self.rows.is_empty();
            if self.rows.is_empty() {
                self.offset = 0;
            }
            return Ok(());
        }
        self.offset = match self.rows.first() {
            Some(r) => store.case_rank(me, &self.query, &r.key, r.id)?,
            None => 0,
        };
        self.offset_pending = false;
        Ok(())
    }

    /// Computes what waits for idle time: the count, then the rank of the first row. Both
    /// are cut short as soon as `stop` says so (a key was pressed); what was cut short
    /// stays pending. Returns whether something was computed.
    ///
    /// # Errors
    /// When the database cannot be read (not when interrupted).
    pub fn settle<F>(&mut self, store: &Store, me: &Staff, stop: F) -> Result<bool, StorageError>
    where
        F: FnMut() -> bool + Send + Clone + 'static,
    {
        let mut changed = false;
        if self.total_pending {
            match store.interruptible(stop.clone(), |s| s.case_count(me, &self.query)) {
                Ok(n) => {
                    self.total = n;
                    self.total_pending = false;
                    changed = true;
                }
                Err(e) if e.is_interrupted() => return Ok(changed),
                Err(e) => return Err(e),
            }
        }
        if self.offset_pending {
            let Some((key, id)) = self.rows.first().map(|r| (r.key.clone(), r.id)) else {
                self.offset_pending = false;
                self.offset = 0;
                return Ok(true);
            };
            match store.interruptible(stop, |s| s.case_rank(me, &self.query, &key, id)) {
                Ok(n) => {
                    self.offset = n;
                    self.offset_pending = false;
                    changed = true;
                }
                Err(e) if e.is_interrupted() => return Ok(changed),
                Err(e) => return Err(e),
            }
        }
        Ok(changed)
    }

    /// Reloads count and the first page (after a filter or sort change).
    pub fn reload_first(&mut self, store: &Store, me: &Staff) -> Result<(), StorageError> {
        self.rows = store.case_page(me, &self.query, &PageAnchor::First, self.page)?;
        self.recount(store, me)?;
        self.offset = 0;
        self.offset_pending = false;
        self.selected = 0;
        Ok(())
    }

    /// Reloads the window in place after data changed, keeping the first visible row and,
    /// where it still exists, the selected case (or selecting `focus`).
    pub fn refresh(
        &mut self,
        store: &Store,
        me: &Staff,
        focus: Option<CaseId>,
    ) -> Result<(), StorageError> {
        let keep = focus.or_else(|| self.current().map(|r| r.id));
        let screen_row = self.selected;
        self.recount(store, me)?;
        let anchor = self.rows.first().map_or(PageAnchor::First, |r| {
            PageAnchor::AtOrAfter(r.key.clone(), r.id)
        });
        self.rows = store.case_page(me, &self.query, &anchor, self.page)?;
        if self.rows.len() < self.page {
            self.rows = store.case_page(me, &self.query, &PageAnchor::Last, self.page)?;
        }
        self.rerank(store, me)?;
        if let Some(id) = keep {
            if let Some(i) = self.rows.iter().position(|r| r.id == id) {
                self.selected = i;
                return Ok(());
            }
            if focus.is_some() && self.jump_to(store, me, id)? {
                return Ok(());
            }
        }
        self.selected = screen_row.min(self.rows.len().saturating_sub(1));
        Ok(())
    }

    /// Puts case `id` into the window (centred where possible). Returns false when it is
    /// not in the list (filtered out or not visible).
    fn jump_to(&mut self, store: &Store, me: &Staff, id: CaseId) -> Result<bool, StorageError> {
        let Some(target) = store.case_row(me, &self.query, id)?.map(|r| (r.key, r.id)) else {
            return Ok(false);
        };
        let before = store.case_page(
            me,
            &self.query,
            &PageAnchor::Before(target.0.clone(), target.1),
            self.page / 2,
        )?;
        let start = before
            .first()
            .map_or(PageAnchor::AtOrAfter(target.0.clone(), target.1), |r| {
                PageAnchor::AtOrAfter(r.key.clone(), r.id)
            });
        self.rows = store.case_page(me, &self.query, &start, self.page)?;
        if self.rows.len() < self.page {
            self.rows = store.case_page(me, &self.query, &PageAnchor::Last, self.page)?;
        }
        self.rerank(store, me)?;
        self.selected = self.rows.iter().position(|r| r.id == id).unwrap_or(0);
        Ok(true)
    }

    /// Moves the selection down by one row, fetching the next row at the window's end.
    pub fn down(&mut self, store: &Store, me: &Staff) -> Result<(), StorageError> {
        if self.selected + 1 < self.rows.len() {
            self.selected += 1;
            return Ok(());
        }
        let Some(last) = self.rows.last() else {
            return Ok(());
        };
        let next = store.case_page(
            me,
            &self.query,
            &PageAnchor::After(last.key.clone(), last.id),
            1,
        )?;
        if !next.is_empty() {
            self.rows.extend(next);
            if self.rows.len() > self.page {
                self.rows.remove(0);
                self.offset += 1;
            }
            self.selected = self.rows.len() - 1;
        }
        Ok(())
    }

    /// Moves the selection up by one row.
    pub fn up(&mut self, store: &Store, me: &Staff) -> Result<(), StorageError> {
        if self.selected > 0 {
            self.selected -= 1;
            return Ok(());
        }
        let Some(first) = self.rows.first() else {
            return Ok(());
        };
        let prev = store.case_page(
            me,
            &self.query,
            &PageAnchor::Before(first.key.clone(), first.id),
            1,
        )?;
        if let Some(row) = prev.into_iter().next() {
            self.rows.insert(0, row);
            self.offset = self.offset.saturating_sub(1);
            self.rows.truncate(self.page.max(1));
        }
        Ok(())
    }

    /// One page down: the cursor keeps its screen row, the window moves by a page.
    pub fn page_down(&mut self, store: &Store, me: &Staff) -> Result<(), StorageError> {
        let Some(last) = self.rows.last() else {
            return Ok(());
        };
        let next = store.case_page(
            me,
            &self.query,
            &PageAnchor::After(last.key.clone(), last.id),
            self.page,
        )?;
        if next.is_empty() {
            self.selected = self.rows.len().saturating_sub(1);
            return Ok(());
        }
        let moved = next.len();
        self.rows.extend(next);
        let excess = self.rows.len().saturating_sub(self.page);
        self.rows.drain(..excess);
        self.offset += excess;
        if excess < moved {
            self.selected = (self.selected + moved - excess).min(self.rows.len() - 1);
        }
        Ok(())
    }

    /// One page up.
    pub fn page_up(&mut self, store: &Store, me: &Staff) -> Result<(), StorageError> {
        let Some(first) = self.rows.first() else {
            return Ok(());
        };
        let prev = store.case_page(
            me,
            &self.query,
            &PageAnchor::Before(first.key.clone(), first.id),
            self.page,
        )?;
        if prev.is_empty() {
            self.selected = 0;
            return Ok(());
        }
        let moved = prev.len();
        self.offset = self.offset.saturating_sub(moved);
        let mut rows = prev;
        rows.append(&mut self.rows);
        rows.truncate(self.page);
        self.rows = rows;
        if moved < self.page {
            self.selected = self.selected.saturating_sub(self.page - moved);
        }
        Ok(())
    }

    /// To the first row.
    pub fn first(&mut self, store: &Store, me: &Staff) -> Result<(), StorageError> {
        self.rows = store.case_page(me, &self.query, &PageAnchor::First, self.page)?;
        self.offset = 0;
        self.offset_pending = false;
        self.selected = 0;
        Ok(())
    }

    /// To the last row.
    pub fn last(&mut self, store: &Store, me: &Staff) -> Result<(), StorageError> {
        self.rows = store.case_page(me, &self.query, &PageAnchor::Last, self.page)?;
        self.offset = self.total.saturating_sub(self.rows.len());
        // Without the count the rank is not known either; it follows in idle time.
        self.offset_pending = self.total_pending;
        self.selected = self.rows.len().saturating_sub(1);
        Ok(())
    }

    /// Sets a new filter text; reloads only when it changed.
    pub fn set_filter(
        &mut self,
        store: &Store,
        me: &Staff,
        text: &str,
    ) -> Result<(), StorageError> {
        if self.query.filter == text {
            return Ok(());
        }
        self.query.filter = text.to_string();
        self.reload_first(store, me)
    }

    /// Sorts by the next column (ascending).
    pub fn sort_next(&mut self, store: &Store, me: &Staff) -> Result<(), StorageError> {
        self.query.sort = self.query.sort.next();
        self.query.descending = false;
        self.reload_keeping_selection(store, me)
    }

    /// Reloads in the new order and keeps the selected case selected, now at its place in
    /// that order (a caseworker who sorts does not lose the case they were on).
    fn reload_keeping_selection(&mut self, store: &Store, me: &Staff) -> Result<(), StorageError> {
        let keep = self.current().map(|r| r.id);
        self.reload_first(store, me)?;
        if let Some(id) = keep {
            self.jump_to(store, me, id)?;
        }
        Ok(())
    }

    /// Reverses the order.
    pub fn sort_reverse(&mut self, store: &Store, me: &Staff) -> Result<(), StorageError> {
        self.query.descending = !self.query.descending;
        self.reload_keeping_selection(store, me)
    }

    /// Adapts the window to a new screen height, keeping the selected case.
    pub fn resize(&mut self, store: &Store, me: &Staff, page: usize) -> Result<(), StorageError> {
        let page = page.max(1);
        if page == self.page {
            return Ok(());
        }
        self.page = page;
        if self.rows.is_empty() {
            return self.reload_first(store, me);
        }
        let keep = self.current().map(|r| r.id);
        if self.selected >= page {
            // Keep the selected row on screen: start the window at it.
            let drop = self.selected + 1 - page;
            self.rows.drain(..drop);
            self.offset += drop;
            self.selected -= drop;
        }
        self.refresh(store, me, None)?;
        if let Some(id) = keep
            && let Some(i) = self.rows.iter().position(|r| r.id == id)
        {
            self.selected = i;
        }
        Ok(())
    }

    /// The sort column.
    pub fn sort(&self) -> SortColumn {
        self.query.sort
    }
}
