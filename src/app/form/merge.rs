//! The case form's draft and its three-way merge with a colleague's save
//! (docs/architecture.md § 5): what the form keeps of its base, and how a stored version
//! that changed meanwhile is folded in field by field.

use super::{CaseForm, DRAFT_FORM, FieldConflict};
use crate::domain::{CoopCase, Field, Staff, StaffId};
use crate::model::draft::Draft;

impl CaseForm {
    /// The form as a draft of `staff`.
    pub fn to_draft(&self, staff: StaffId) -> Draft {
        let map = |v: &[(Field, String)]| {
            v.iter()
                .map(|(f, x)| (f.code().to_string(), x.clone()))
                .collect()
        };
        // Read-only and withheld fields are not the author's typing: the other agency's
        // data never goes into a draft (docs/access.md A8).
        let own = |v: &[(Field, String)]| -> Vec<(Field, String)> {
            v.iter()
                .filter(|(f, _)| !self.readonly.contains(f) && !self.withheld.contains(f))
                .cloned()
                .collect()
        };
        Draft {
            staff_id: staff,
            form: DRAFT_FORM.to_string(),
            record_id: self.draft_record(),
            base_version: self.base.version,
            base_person_version: self.base.person.version,
            values: map(&own(&self.values())),
            base_values: map(&own(&self.base_values)),
            updated_at: String::new(),
        }
    }

    /// Restores typed values and the base they were typed against from a draft. The
    /// stored versions stay those of the draft, so a change by someone else in between is
    /// detected as a conflict when saving.
    pub fn restore(&mut self, draft: &Draft) {
        let decode = |m: &std::collections::BTreeMap<String, String>| -> Vec<(Field, String)> {
            m.iter()
                .filter_map(|(k, v)| Field::from_code(k).map(|f| (f, v.clone())))
                .collect()
        };
        if !self.is_new {
            self.base.version = draft.base_version;
            self.base.person.version = draft.base_person_version;
            let base = decode(&draft.base_values);
            if !base.is_empty() {
                self.base_values = self
                    .values()
                    .into_iter()
                    .map(|(f, now)| {
                        let v = base
                            .iter()
                            .find(|(b, _)| *b == f)
                            .map_or(now, |(_, v)| v.clone());
                        (f, v)
                    })
                    .collect();
            }
        }
        self.apply_values(&decode(&draft.values));
    }

    /// Rebases the form onto `theirs` (the record as someone else saved it) by a
    /// three-way merge: a field only they changed takes their value, a field only this
    /// form changed keeps its value, and a field both changed differently is returned as a
    /// conflict (field, mine, theirs) for the person to decide. Their values become the
    /// new base, so the next save goes through unless someone saves again.
    pub fn rebase(
        &mut self,
        theirs: &CoopCase,
        withheld: Vec<Field>,
        jc: &[Staff],
        ja: &[Staff],
    ) -> Vec<FieldConflict> {
        let their_values = CaseForm::edit(theirs, jc, ja, self.strings).values();
        let mine = self.values();
        let mut take = Vec::new();
        let mut conflicts = Vec::new();
        for (field, m) in &mine {
            // The partner's person data is neither written nor compared here: the form
            // shows it as received (or withheld) and the store keeps the stored value.
            if self.readonly.contains(field) {
                continue;
            }
            let b = self
                .base_values
                .iter()
                .find(|(f, _)| f == field)
                .map(|(_, v)| v.as_str());
            let Some(t) = their_values
                .iter()
                .find(|(f, _)| f == field)
                .map(|(_, v)| v.as_str())
            else {
                continue;
            };
            if m == t || Some(t) == b {
                continue;
            }
            if Some(m.as_str()) == b {
                take.push((*field, t.to_string()));
            } else {
                conflicts.push(FieldConflict {
                    field: *field,
                    mine: m.clone(),
                    theirs: t.to_string(),
                    keep_mine: true,
                });
            }
        }
        // Status choices depend on the stored state: rebuild the fields from theirs, then
        // put this form's values back on top.
        let mut rebuilt = CaseForm::edit(theirs, jc, ja, self.strings);
        rebuilt.is_new = self.is_new;
        rebuilt.apply_values(&mine);
        rebuilt.apply_values(&take);
        rebuilt.set_readonly(self.readonly.clone(), withheld);
        rebuilt.set_received(self.received.clone());
        rebuilt.set_focus_index(self.focus_index());
        *self = rebuilt;
        conflicts
    }
}
