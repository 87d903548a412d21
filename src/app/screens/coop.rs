//! F5 Kooperation (docs/cooperation.md): the year's plenary with agenda and decisions,
//! meetings, trainings, hospitations, the agreement and the yearly report, one section at
//! a time. Every rule is the store's; the forms are one layer (`app/layers/coop_form.rs`)
//! whose drafts are kept like every other form's. The report is for leads and DSBs; it is
//! computed when its section is shown and read once per showing (one audit row).

use chrono::Datelike;

use crate::action::Action;
use crate::app::layers::coop_form;
use crate::app::{App, Screen};
use crate::domain::Role;
use crate::domain::coop::{DecisionStatus, EventStatus};
use crate::model::coop::{AgendaSource, CoopYear};
use crate::model::report::YearReport;

/// The sections, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CoopSection {
    /// "Große Runde".
    #[default]
    Plenary,
    /// "Besprechungen".
    Meetings,
    /// "Fortbildungen".
    Trainings,
    /// "Hospitationen".
    Hospitations,
    /// "Vereinbarung".
    Agreement,
    /// "Jahresbericht".
    Report,
}

impl CoopSection {
    /// Every section, in tab order.
    pub const ALL: [CoopSection; 6] = [
        CoopSection::Plenary,
        CoopSection::Meetings,
        CoopSection::Trainings,
        CoopSection::Hospitations,
        CoopSection::Agreement,
        CoopSection::Report,
    ];

    /// Its position in [`CoopSection::ALL`].
    pub fn index(self) -> usize {
        CoopSection::ALL
            .iter()
            .position(|s| *s == self)
            .unwrap_or_default()
    }
}

/// How the report is computed (from the configuration).
#[derive(Debug, Clone)]
pub struct ReportSettings {
    /// The smallest count printed (at least 3).
    pub min_cell: u64,
    /// Roles that see the child-protection figures.
    pub child_protection: Vec<Role>,
}

impl Default for ReportSettings {
    fn default() -> Self {
        ReportSettings {
            min_cell: 3,
            child_protection: vec![Role::Lead, Role::Dpo],
        }
    }
}

/// State of F5.
#[derive(Debug, Default)]
pub struct CoopState {
    /// The section shown.
    pub section: CoopSection,
    /// The year shown (0 until first shown: then the current year).
    pub year: i32,
    /// The selected row of the section.
    pub cursor: usize,
    /// What the store returned for the year.
    pub data: Option<CoopYear>,
    /// The report of the year, when its section was shown.
    pub report: Option<YearReport>,
    /// The first line of the report shown.
    pub scroll: usize,
    /// The store refused (the report for anyone but leads and DSBs).
    pub refused: Option<String>,
    /// Report settings.
    pub settings: ReportSettings,
}

/// What the cursor of the plenary section stands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlenaryRow {
    /// The plenary itself.
    Plenary,
    /// A decision (index into this year's decisions, then the carried ones).
    Decision(usize),
}

impl CoopState {
    /// The number of selectable rows of the section shown.
    pub fn len(&self) -> usize {
        let Some(d) = &self.data else { return 0 };
        match self.section {
            CoopSection::Plenary => {
                1 + d.plenary.as_ref().map_or(0, |p| p.decisions.len()) + d.carried.len()
            }
            CoopSection::Meetings => d.meetings.len(),
            CoopSection::Trainings => d.trainings.len(),
            CoopSection::Hospitations => d.hospitations.len(),
            CoopSection::Agreement => d.agreements.len(),
            CoopSection::Report => 0,
        }
    }

    /// Whether the section shows nothing to select.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The plenary row under the cursor.
    pub fn plenary_row(&self) -> PlenaryRow {
        if self.cursor == 0 {
            PlenaryRow::Plenary
        } else {
            PlenaryRow::Decision(self.cursor - 1)
        }
    }

    /// The decision under the cursor (this year's first, then the carried ones).
    pub fn selected_decision(&self) -> Option<&crate::model::coop::Decision> {
        let d = self.data.as_ref()?;
        let PlenaryRow::Decision(i) = self.plenary_row() else {
            return None;
        };
        let own = d.plenary.as_ref().map_or(&[][..], |p| &p.decisions[..]);
        own.get(i).or_else(|| d.carried.get(i - own.len().min(i)))
    }
}

impl App {
    /// F5: the cooperation, on the current year at first.
    pub(crate) fn show_coop(&mut self) {
        if self.coop.year == 0 {
            self.coop.year = self.store.clock().today().year();
        }
        let again = self.screen == Screen::Cooperation;
        self.screen = Screen::Cooperation;
        if !again {
            self.reload_coop();
        }
    }

    /// Takes the configuration's report settings.
    pub fn set_report_settings(&mut self, settings: ReportSettings) {
        self.coop.settings = settings;
    }

    /// Reads the year (and the report, when its section is shown).
    pub(crate) fn reload_coop(&mut self) {
        let me = self.me.clone();
        self.coop.refused = None;
        match self.store.coop_year(&me, self.coop.year) {
            Ok(d) => self.coop.data = Some(d),
            Err(crate::storage::StorageError::Refused(_)) => {
                self.coop.data = None;
                self.coop.refused = Some(self.strings.coop.only_staff.to_string());
                return;
            }
            Err(e) => self.report::<()>(Err(e)),
        }
        if self.coop.section == CoopSection::Report {
            self.load_report();
        }
        self.coop.cursor = self.coop.cursor.min(self.coop.len().saturating_sub(1));
    }

    fn load_report(&mut self) {
        let me = self.me.clone();
        let sees_cp = self
            .coop
            .settings
            .child_protection
            .iter()
            .any(|r| me.has_role(*r));
        let cal = self.cp_settings.calendar();
        match self.store.year_report(
            &me,
            self.coop.year,
            self.coop.settings.min_cell,
            sees_cp,
            &cal,
        ) {
            Ok(r) => self.coop.report = Some(r),
            Err(crate::storage::StorageError::Refused(_)) => {
                self.coop.report = None;
                self.coop.refused = Some(self.strings.coop.report_only_leads.to_string());
            }
            Err(e) => self.report::<()>(Err(e)),
        }
    }

    /// Keys of F5.
    pub(crate) fn update_coop(&mut self, action: Action) {
        let last = self.coop.len().saturating_sub(1);
        let report = self.coop.section == CoopSection::Report;
        match action {
            Action::Up if report => self.coop.scroll = self.coop.scroll.saturating_sub(1),
            Action::Down if report => self.coop.scroll += 1,
            Action::PageUp if report => self.coop.scroll = self.coop.scroll.saturating_sub(10),
            Action::PageDown if report => self.coop.scroll += 10,
            Action::First if report => self.coop.scroll = 0,
            Action::Last if report => self.coop.scroll = usize::MAX / 2,
            Action::Up => self.coop.cursor = self.coop.cursor.saturating_sub(1),
            Action::Down => self.coop.cursor = (self.coop.cursor + 1).min(last),
            Action::First => self.coop.cursor = 0,
            Action::Last => self.coop.cursor = last,
            Action::PageDown => self.coop.cursor = (self.coop.cursor + 10).min(last),
            Action::PageUp => self.coop.cursor = self.coop.cursor.saturating_sub(10),
            Action::CoopNext | Action::CoopPrev => {
                let n = CoopSection::ALL.len();
                let i = self.coop.section.index();
                let next = if action == Action::CoopNext {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                };
                self.coop.section = CoopSection::ALL[next];
                self.coop.cursor = 0;
                self.coop.scroll = 0;
                self.reload_coop();
            }
            Action::YearNext | Action::YearPrev => {
                let step = if action == Action::YearNext { 1 } else { -1 };
                self.coop.year = (self.coop.year + step).clamp(2000, 2999);
                self.coop.cursor = 0;
                self.coop.scroll = 0;
                self.reload_coop();
            }
            Action::CoopNew => coop_form::open_new(self),
            Action::Edit => coop_form::open_selected(self),
            Action::CoopDecision => coop_form::open_decision(self),
            Action::CoopStep => self.coop_step(),
            Action::CoopAgenda => self.agenda_from_report(),
            Action::Document if report => self.print_report(),
            Action::Document => {
                self.set_status(self.strings.documents.report_only.to_string(), false);
            }
            _ => {}
        }
    }

    fn coop_step(&mut self) {
        let me = self.me.clone();
        let Some(d) = self.coop.data.clone() else {
            return;
        };
        let i = self.coop.cursor;
        let res = match self.coop.section {
            CoopSection::Plenary => match self.coop.plenary_row() {
                PlenaryRow::Plenary => match &d.plenary {
                    Some(p) => self
                        .store
                        .advance_plenary(&me, d.year, p.version)
                        .map(|_| ()),
                    None => Err(crate::storage::StorageError::NotFound),
                },
                PlenaryRow::Decision(_) => match self.coop.selected_decision() {
                    Some(dec) => {
                        let next = match dec.status {
                            DecisionStatus::Open => DecisionStatus::Done,
                            DecisionStatus::Done => DecisionStatus::Dropped,
                            DecisionStatus::Dropped => DecisionStatus::Open,
                        };
                        self.store
                            .set_decision_status(&me, dec.id, next, dec.version)
                    }
                    None => return,
                },
            },
            CoopSection::Meetings | CoopSection::Trainings => {
                let training = self.coop.section == CoopSection::Trainings;
                let row = if training {
                    d.trainings.get(i).map(|t| (t.id, t.status, t.version))
                } else {
                    d.meetings.get(i).map(|m| (m.id, m.status, m.version))
                };
                match row {
                    Some((id, EventStatus::Planned, v)) => {
                        self.store
                            .set_event_status(&me, training, id, EventStatus::Held, v)
                    }
                    Some(_) => Err(crate::storage::StorageError::Refused(
                        crate::domain::refusal::Refusal::CoopWrongState,
                    )),
                    None => return,
                }
            }
            CoopSection::Hospitations => match d.hospitations.get(i) {
                Some(h) => match h.status.next() {
                    Some(next) => self
                        .store
                        .set_hospitation_status(&me, h.id, next, h.version),
                    None => Err(crate::storage::StorageError::Refused(
                        crate::domain::refusal::Refusal::CoopWrongState,
                    )),
                },
                None => return,
            },
            CoopSection::Agreement | CoopSection::Report => return,
        };
        match res {
            Ok(()) => {
                self.set_status(self.strings.coop.saved.to_string(), false);
                self.reload_coop();
            }
            Err(e) => {
                self.report::<()>(Err(e));
                self.reload_coop();
            }
        }
    }

    /// `a` on the report: the year's figures, the commitments' results and last year's
    /// open decisions become the first items of the year's plenary agenda (docs/cooperation.md
    /// § 3). Only what the report prints goes there: hidden counts stay "< 3" or "x".
    fn agenda_from_report(&mut self) {
        if self.coop.section != CoopSection::Report {
            return;
        }
        let Some(r) = self.coop.report.clone() else {
            return;
        };
        let items = crate::model::report::agenda_items(&r, &|v| {
            crate::domain::stats::label(v, r.threshold)
        });
        let carried: Vec<String> = self
            .coop
            .data
            .as_ref()
            .map(|d| {
                d.carried
                    .iter()
                    .map(|x| crate::domain::coop::carried_title(x.year, &x.text))
                    .collect()
            })
            .unwrap_or_default();
        let me = self.me.clone();
        let res = self
            .store
            .prepend_agenda(&me, r.year, &items, AgendaSource::Report, &carried);
        match res {
            Ok(n) => {
                self.set_status((self.strings.coop.agenda_from_report)(n), false);
                self.reload_coop();
            }
            Err(e) => self.report::<()>(Err(e)),
        }
    }
}
