//! The Cases screen (F2): the case list with its filter and number lookup, and one case
//! file. Its forms and boxes are layers (docs/architecture.md § 4).

use ratatui_textarea::TextArea;

use crate::action::Action;
use crate::app::App;
use crate::app::form::CaseForm;
use crate::app::layers::question::{Ask, Question};
use crate::app::list::CaseList;
use crate::domain::access::Relation;
use crate::domain::{Agency, CaseId, CoopCase, Staff};
use crate::model::casefile::CaseFileView;
use crate::model::list::ListScope;
use crate::storage::StorageError;

/// How far the case file scrolls (lines); the longest demo file has under 150.
const FILE_SCROLL_MAX: u16 = 1000;

/// What the case screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CasesView {
    /// The list.
    #[default]
    List,
    /// One case file.
    File,
}

/// An open case file: what the viewer may see of it.
#[derive(Debug, Clone)]
pub struct CaseFile {
    /// The case file as the access rules let the viewer see it.
    pub view: CaseFileView,
    /// First line shown.
    pub scroll: u16,
}

impl CaseFile {
    /// The case (person fields the viewer may not read are empty).
    pub fn case(&self) -> &CoopCase {
        &self.view.case
    }
}

/// State of the Cases screen.
#[derive(Debug, Default)]
pub struct CasesScreen {
    /// What it shows.
    pub view: CasesView,
    /// The case list.
    pub list: CaseList,
    /// The filter input.
    pub filter_input: TextArea<'static>,
    /// The open case file.
    pub file: Option<CaseFile>,
}

impl App {
    pub(crate) fn apply_filter_text(&mut self) {
        let text = crate::domain::text::sanitize(&self.cases.filter_input.lines().join(" "), false);
        if self.cases.list.lookup.is_some() {
            // A case number for break-glass: nothing is searched until Enter.
            self.cases.list.lookup = Some(text);
            return;
        }
        let res = self.cases.list.set_filter(&self.store, &self.me, &text);
        self.report(res);
    }

    /// Logs that the case list was shown (docs/access.md A9): the lead's list of the whole
    /// agency, or the own caseload.
    pub(crate) fn log_list_read(&mut self, search: bool) {
        use crate::domain::access::ScreenRead;
        let read = match (search, self.me.has_role(crate::domain::Role::Lead)) {
            (true, _) => ScreenRead::CaseSearch,
            (false, true) => ScreenRead::AgencyList,
            (false, false) => ScreenRead::CaseList,
        };
        self.log_screen(read);
    }

    /// Logs that a list screen was shown (docs/access.md A9).
    pub(crate) fn log_screen(&mut self, read: crate::domain::access::ScreenRead) {
        let res = self.store.log_screen_read(&self.me, read);
        self.report(res);
    }

    /// Enter in the number field: look the case up and, when it lies outside the caseload,
    /// ask for the break-glass reason (docs/access.md A6).
    pub(crate) fn finish_lookup(&mut self) {
        let number = self.cases.list.lookup.take().unwrap_or_default();
        self.cases.list.filtering = false;
        self.cases.filter_input = TextArea::default();
        match self.store.lookup_case(&self.me, &number) {
            Ok(Some(id)) => {
                // Only this opening may ask for break-glass; the reason dialog keeps the id.
                self.cases.list.looked_up = Some(id);
                self.open_file(id);
                self.cases.list.looked_up = None;
            }
            Ok(None) => self.set_status(self.strings.lookup_none.to_string(), true),
            Err(e) => self.report::<()>(Err(e)),
        }
    }

    pub(crate) fn update_cases(&mut self, action: Action) {
        let res = match (self.cases.view, action) {
            (CasesView::List, Action::Up) => self.cases.list.up(&self.store, &self.me),
            (CasesView::List, Action::Down) => self.cases.list.down(&self.store, &self.me),
            (CasesView::List, Action::PageUp) => self.cases.list.page_up(&self.store, &self.me),
            (CasesView::List, Action::PageDown) => self.cases.list.page_down(&self.store, &self.me),
            (CasesView::List, Action::First) => self.cases.list.first(&self.store, &self.me),
            (CasesView::List, Action::Last) => self.cases.list.last(&self.store, &self.me),
            (CasesView::List, Action::SortNext) => self.cases.list.sort_next(&self.store, &self.me),
            (CasesView::List, Action::SortReverse) => {
                self.cases.list.sort_reverse(&self.store, &self.me)
            }
            (CasesView::List, Action::ToggleScope) => {
                if !self.me.has_role(crate::domain::Role::Lead) {
                    // The agency's list is the leads'; a caseworker names the case by its
                    // number and gives a reason (docs/access.md A6).
                    self.cases.list.lookup = Some(String::new());
                    self.cases.list.filtering = true;
                    self.cases.filter_input = TextArea::default();
                    self.set_status(self.strings.lookup_hint.to_string(), false);
                    return;
                }
                self.cases.list.query.scope = match self.cases.list.query.scope {
                    ListScope::Caseload => ListScope::Agency,
                    ListScope::Agency => ListScope::Caseload,
                };
                self.log_list_read(false);
                self.cases.list.reload_first(&self.store, &self.me)
            }
            (CasesView::List, Action::Filter) => {
                self.cases.list.filtering = true;
                Ok(())
            }
            (CasesView::List, Action::FilterDone) if self.cases.list.lookup.is_some() => {
                self.finish_lookup();
                Ok(())
            }
            (CasesView::List, Action::FilterDone) => {
                self.cases.list.filtering = false;
                if !self.cases.list.query.filter.is_empty() {
                    self.log_list_read(true);
                }
                Ok(())
            }
            (CasesView::List, Action::ClearFilter) => {
                self.cases.list.filtering = false;
                self.cases.filter_input = TextArea::default();
                if self.cases.list.lookup.take().is_some() {
                    return;
                }
                self.cases.list.set_filter(&self.store, &self.me, "")
            }
            (CasesView::List, Action::Open) => {
                if let Some(id) = self.cases.list.current().map(|r| r.id) {
                    self.open_file(id);
                }
                Ok(())
            }
            (CasesView::List | CasesView::File, Action::NewCase) => {
                // A lead, the administrator and the DSB create no cases (docs/access.md A7):
                // no form to fill in vain, the reason in the status line.
                if self.me.may_create_cases() {
                    crate::app::layers::case_form::open_new(self);
                } else {
                    self.refused(crate::domain::refusal::Refusal::CaseCreate);
                }
                Ok(())
            }
            (CasesView::List, Action::Edit) => {
                if let Some(id) = self.cases.list.current().map(|r| r.id) {
                    self.open_file(id);
                    if self.cases.view == CasesView::File {
                        crate::app::layers::case_form::open_edit(self);
                    }
                }
                Ok(())
            }
            (CasesView::File, Action::Edit) => {
                crate::app::layers::case_form::open_edit(self);
                Ok(())
            }
            (CasesView::File, Action::Transfer) => {
                self.open_transfer_preview();
                Ok(())
            }
            (CasesView::File, Action::RevokeConsent | Action::NewNote) if !self.works_on_file() => {
                // A team lead or a break-glass access reads only.
                self.set_status(self.strings.read_only.to_string(), true);
                Ok(())
            }
            (CasesView::File, Action::RevokeConsent) => {
                if self.newest_granted_consent().is_some() {
                    self.push(Ask::new(Question::RevokeConsent));
                } else {
                    self.set_status(self.strings.nothing_to_revoke.to_string(), true);
                }
                Ok(())
            }
            (CasesView::File, Action::NewConsent) => {
                crate::app::layers::consent::open(self);
                Ok(())
            }
            (CasesView::File, Action::MeasureState) => {
                self.measure_state_from_file();
                Ok(())
            }
            (CasesView::File, Action::PlanConference) => {
                if let Some(id) = self.cases.file.as_ref().map(|f| f.case().id) {
                    self.open_conference_form(Some(id));
                }
                Ok(())
            }
            (CasesView::File, Action::NewNote) => {
                crate::app::layers::note::open(self);
                Ok(())
            }
            (CasesView::File, Action::Restrict) => {
                self.restrict_file();
                Ok(())
            }
            (CasesView::File, Action::Handover) => {
                crate::app::layers::handover::open_menu(self);
                Ok(())
            }
            (CasesView::File, Action::Document) => {
                self.print_consent();
                Ok(())
            }
            (CasesView::File, Action::Withdrawal) => {
                crate::app::layers::withdrawal::open_menu(self);
                Ok(())
            }
            (CasesView::File, Action::Records) => {
                crate::app::layers::record_form::open_menu(self);
                Ok(())
            }
            (CasesView::File, Action::Dispute) => {
                self.dispute_in_file();
                Ok(())
            }
            (CasesView::File, Action::Back) => {
                self.cases.view = CasesView::List;
                self.cases.file = None;
                Ok(())
            }
            (CasesView::File, Action::Up) => {
                if let Some(f) = self.cases.file.as_mut() {
                    f.scroll = f.scroll.saturating_sub(1);
                }
                Ok(())
            }
            (CasesView::File, Action::Down | Action::PageDown | Action::PageUp | Action::First) => {
                if let Some(f) = self.cases.file.as_mut() {
                    f.scroll = match action {
                        Action::Down => f.scroll.saturating_add(1),
                        Action::PageDown => f.scroll.saturating_add(10),
                        Action::PageUp => f.scroll.saturating_sub(10),
                        _ => 0,
                    }
                    .min(FILE_SCROLL_MAX);
                }
                Ok(())
            }
            _ => Ok(()),
        };
        self.report(res);
    }

    pub(crate) fn caseworkers(&mut self) -> (Vec<Staff>, Vec<Staff>) {
        let jc = self.store.caseworkers(Agency::Jobcenter);
        let ja = self.store.caseworkers(Agency::Jugendamt);
        match (jc, ja) {
            (Ok(jc), Ok(ja)) => (jc, ja),
            (Err(e), _) | (_, Err(e)) => {
                self.report::<()>(Err(e));
                (Vec::new(), Vec::new())
            }
        }
    }

    /// The edit form of the open case file, built from what the viewer may see, with the
    /// partner's person data read-only; None (and a message) when they may only read.
    pub(crate) fn edit_form_for_file(&mut self) -> Option<CaseForm> {
        let view = self.cases.file.as_ref().map(|f| f.view.clone())?;
        if !matches!(view.relation, Relation::Assigned | Relation::Deputy) {
            self.set_status(self.strings.read_only.to_string(), true);
            return None;
        }
        let case = view.case;
        // The other agency's fields, its caseworker and a Fallführung the own agency does
        // not hold are read-only (docs/access.md A7); the store refuses them too.
        let readonly = crate::domain::access::readonly_case_fields(
            self.me.agency,
            case.owner,
            case.lead,
            false,
        );
        let (jc, ja) = self.caseworkers();
        let mut form = CaseForm::edit(&case, &jc, &ja, self.strings);
        form.set_readonly(readonly, view.hidden);
        form.set_received(view.received);
        Some(form)
    }

    /// Shows case file `id`. Opening it is logged as a view (or a refusal); showing the file
    /// that is already open again (after a save, a closed form, another session's save) is
    /// not, so that sessions reloading each other's views cannot log in a loop. A case of
    /// the own agency outside the caseload asks for a break-glass reason first.
    pub fn open_file(&mut self, id: CaseId) {
        let reshow = self.cases.file.as_ref().is_some_and(|f| f.case().id == id);
        let opened = if reshow {
            Ok(())
        } else {
            self.store.open_case_file(&self.me, id).map(drop)
        };
        let scroll = if reshow {
            self.cases.file.as_ref().map_or(0, |f| f.scroll)
        } else {
            0
        };
        match opened.and_then(|()| self.store.case_file(&self.me, id, self.today())) {
            Ok(view) => {
                self.cases.file = Some(CaseFile { view, scroll });
                self.cases.view = CasesView::File;
            }
            Err(StorageError::NotFound)
                if !reshow && self.cases.list.looked_up.take() == Some(id) =>
            {
                let layer = crate::app::layers::break_glass::BreakGlass::new(id, self.strings);
                self.push(layer);
            }
            Err(e) => {
                self.cases.view = CasesView::List;
                self.cases.file = None;
                self.report::<()>(Err(e));
            }
        }
    }

    fn open_transfer_preview(&mut self) {
        let Some(file) = self.cases.file.as_ref() else {
            return;
        };
        let id = file.case().id;
        let birth = file.case().person.birth_date;
        let partner = self.me.agency.partner();
        let consent = file
            .view
            .consents
            .iter()
            .filter(|c| c.is_active(self.today(), birth) && c.recipient_agencies.contains(&partner))
            .max_by_key(|c| c.signed_on)
            .map(|c| (c.id, c.signed_on));
        // The owner's custody holders and children go along, those still current.
        let mut family = Vec::new();
        if file.case().owner == self.me.agency {
            use crate::domain::casefile::FamilyRef;
            let s = self.strings;
            for g in file.view.guardians.iter().flatten() {
                if g.ended_on.is_none() {
                    let text = format!(
                        "{} ({}, {})",
                        g.name,
                        (s.kin)(g.relation),
                        (s.custody)(g.custody)
                    );
                    family.push((FamilyRef::Guardian(g.id), text));
                }
            }
            for c in file.view.children.iter().flatten() {
                if c.ended_on.is_none() {
                    let text = format!(
                        "{} ({}, {})",
                        c.name,
                        crate::domain::date::format_german_date(c.birth_date),
                        (s.casework.child_relation)(c.relation)
                    );
                    family.push((FamilyRef::Child(c.id), text));
                }
            }
        }
        match self.store.transfer_preview(&self.me, id) {
            Ok(fields) => {
                let layer = crate::app::layers::transfer::TransferPreview::new(
                    id,
                    fields,
                    family,
                    consent,
                    self.me.agency,
                    self.strings,
                );
                self.push(layer);
            }
            Err(e) => self.report::<()>(Err(e)),
        }
    }

    pub(crate) fn newest_granted_consent(&self) -> Option<crate::domain::consent::Consent> {
        let file = self.cases.file.as_ref()?;
        let birth = file.case().person.birth_date;
        file.view
            .consents
            .iter()
            .filter(|c| c.status == crate::domain::consent::ConsentStatus::Granted)
            .max_by_key(|c| (c.is_active(self.today(), birth), c.signed_on))
            .cloned()
    }

    /// The newest granted consent, for the revocation question.
    pub fn revocable_consent_date(&self) -> Option<String> {
        self.newest_granted_consent()
            .map(|c| c.signed_on.format("%d.%m.%Y").to_string())
    }

    pub(crate) fn revoke_newest_consent(&mut self) {
        let Some(consent) = self.newest_granted_consent() else {
            return;
        };
        let Some(id) = self.cases.file.as_ref().map(|f| f.case().id) else {
            return;
        };
        let res = self.store.revoke_consent(
            &self.me,
            &consent,
            self.today(),
            crate::domain::consent::RevokedHow::Written,
        );
        match res {
            Ok(()) => {
                self.open_file(id);
                self.set_status(self.strings.revoked.to_string(), false);
            }
            Err(e) => self.report::<()>(Err(e)),
        }
    }

    /// `x` in the case file: restrict it (a lead or the DSB of the owning Stelle; the
    /// reason box), or lift its restriction (a question). The store decides
    /// (docs/access.md A12).
    fn restrict_file(&mut self) {
        let Some(file) = self.cases.file.as_ref() else {
            return;
        };
        let (id, owner) = (file.case().id, file.case().owner);
        if !crate::domain::restriction::may_restrict(&self.me, owner) {
            self.refused(crate::domain::refusal::Refusal::RestrictNotAllowed);
        } else if file.view.restriction.is_some() {
            self.push(Ask::new(Question::LiftRestriction));
        } else {
            let layer = crate::app::layers::restrict::RestrictBox::restrict(id, self.strings);
            self.push(layer);
        }
    }

    /// `b` in the case file: dispute one of the person fields the own Stelle keeps and the
    /// viewer reads, or resolve its open dispute (docs/access.md A12).
    fn dispute_in_file(&mut self) {
        let Some(file) = self.cases.file.as_ref() else {
            return;
        };
        let case = file.case();
        let fields: Vec<crate::domain::Field> = crate::domain::casefile::PERSON_FIELDS
            .into_iter()
            .filter(|f| crate::domain::casefile::field_owner(*f, case.owner) == self.me.agency)
            .filter(|f| !file.view.hidden.contains(f))
            .collect();
        if fields.is_empty() {
            self.set_status(self.strings.restrict.no_field.to_string(), true);
            return;
        }
        let layer = crate::app::layers::restrict::RestrictBox::dispute(
            case.id,
            &fields,
            &file.view.disputed,
            self.strings,
        );
        self.push(layer);
    }

    /// Since when the open case is restricted (Berlin wall-clock, German notation).
    pub fn file_restricted_since(&self) -> Option<String> {
        let file = self.cases.file.as_ref()?;
        file.view
            .restriction
            .map(|(_, at)| at.format("%d.%m.%Y %H:%M").to_string())
    }

    pub(crate) fn lift_file_restriction(&mut self) {
        let Some(id) = self.cases.file.as_ref().map(|f| f.case().id) else {
            return;
        };
        match self.store.lift_restriction(&self.me, id) {
            Ok(()) => {
                self.open_file(id);
                self.set_status(self.strings.restrict.lifted_done.to_string(), false);
            }
            Err(e) => self.report::<()>(Err(e)),
        }
    }

    /// Whether the viewer works on the open case (assigned or deputy) and may write to it.
    pub fn works_on_file(&self) -> bool {
        self.cases
            .file
            .as_ref()
            .is_some_and(|f| matches!(f.view.relation, Relation::Assigned | Relation::Deputy))
    }
}
