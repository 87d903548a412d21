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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::app::form::Choice;
    use crate::domain::{Agency, Gender, ReasonCode, Role};

    fn me() -> Staff {
        Staff {
            id: StaffId(7),
            login: "s7".into(),
            surname: "S".into(),
            given_name: "T".into(),
            agency: Agency::Jobcenter,
            roles: vec![Role::JcU25],
            active: true,
        }
    }

    /// A draft stored before the case form moved onto the rows engine (values by
    /// `Field::code()`, choices as `Choice::encode`, reasons as ticked codes) still restores,
    /// and the form writes the same format back.
    #[test]
    fn a_draft_in_the_stored_format_restores_and_round_trips() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
        let s = crate::strings::Strings::get(crate::strings::Lang::De);
        let mut form = CaseForm::new_case(&me(), &[me()], &[], today, s);
        let reasons = format!(
            "{},{}",
            ReasonCode::ALL[0].code(),
            ReasonCode::ALL[2].code()
        );
        let values: BTreeMap<String, String> = [
            ("surname", "Yılmaz".to_string()),
            ("birth_date", "01.02.2003".to_string()),
            ("gender", Choice::Gender(Gender::ALL[1]).encode()),
            ("reasons", reasons.clone()),
            ("question", "Zeile 1\nZeile 2".to_string()),
            ("jc_staff", "staff:99".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let draft = Draft {
            staff_id: StaffId(7),
            form: DRAFT_FORM.to_string(),
            record_id: -5,
            base_version: 0,
            base_person_version: 0,
            values: values.clone(),
            base_values: BTreeMap::new(),
            updated_at: String::new(),
        };
        form.restore(&draft);
        assert_eq!(form.value_of(Field::Surname).as_deref(), Some("Yılmaz"));
        assert_eq!(
            form.value_of(Field::Gender),
            Some(Choice::Gender(Gender::ALL[1]).encode())
        );
        assert_eq!(form.value_of(Field::Reasons), Some(reasons));
        assert_eq!(
            form.value_of(Field::JcStaff).as_deref(),
            Some("staff:99"),
            "a staff member no longer listed is kept"
        );
        let back = form.to_draft(StaffId(7)).values;
        for (k, v) in &values {
            assert_eq!(back.get(k), Some(v), "{k}");
        }
    }
}
