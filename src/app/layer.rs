//! The layer stack (docs/architecture.md § 4): every popup, dialog, menu and form is one
//! type that owns its data and answers, in one place, which key contexts it has, whether it
//! takes text, what a key or a paste does, its draft, whether it holds unsaved input, and how
//! it draws. `App` keeps them in a `Vec`; the top one takes the keys. Adding a popup is one
//! new file under `app/layers/` and one line in [`super::layers::REGISTRY`].

use std::any::Any;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use super::App;
use crate::action::Action;
use crate::keymap::Context;
use crate::model::draft::Draft;

/// What a layer wants after handling a key.
pub enum Outcome {
    /// Stay open.
    Keep,
    /// Close (its draft, if any, is left to the layer: it forgets it when saved).
    Close,
    /// Close and put this layer in its place.
    Replace(Box<dyn Layer>),
}

/// Where a layer may draw.
#[derive(Debug, Clone, Copy)]
pub struct Areas {
    /// The whole terminal.
    pub full: Rect,
    /// The screen body between the tab bar and the status line.
    pub body: Rect,
}

/// One popup, dialog, menu or form.
pub trait Layer: Any {
    /// The registry name (docs/architecture.md § 4), e.g. "note".
    fn name(&self) -> &'static str;

    /// The keymap contexts that apply, most specific first.
    fn contexts(&self) -> Vec<Context>;

    /// Whether typed characters go into a text field of this layer now.
    fn takes_text(&self) -> bool {
        false
    }

    /// A typed key (only called while [`Layer::takes_text`]).
    fn input(&mut self, app: &mut App, key: KeyEvent);

    /// Pasted text. A layer with text fields must put it into the focused one; nothing
    /// pasted may be lost (docs/architecture.md § 4).
    fn paste(&mut self, app: &mut App, text: &str);

    /// A resolved action.
    fn update(&mut self, app: &mut App, action: Action) -> Outcome;

    /// Whether it holds input that is not saved; Esc then asks before discarding.
    fn is_dirty(&self) -> bool {
        false
    }

    /// Its draft (the stored copy of unsaved input, naming its record), if it has one now.
    fn draft(&self, _app: &App) -> Option<Draft> {
        None
    }

    /// The person chose to throw the input away (or to quit): forget the draft and put
    /// the screen beneath back in order.
    fn discard(&mut self, _app: &mut App) {}

    /// Another session changed the database: re-check what is shown (#23).
    fn refresh(&mut self, _app: &mut App) {}

    /// The focused field's text (tests and the property test read typed text here).
    fn field_text(&self) -> Option<String> {
        None
    }

    /// The keys the footer shows.
    fn footer(&self, app: &App) -> Vec<Action>;

    /// A footer label of its own for `action` (the referral form's Ctrl+S reads
    /// "Senden"); `None` keeps the usual one.
    fn footer_label(&self, _app: &App, _action: Action) -> Option<&'static str> {
        None
    }

    /// A note after the footer's keys, shown where there is room.
    fn footer_note(&self, _app: &App) -> Option<&'static str> {
        None
    }

    /// Draws the layer.
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas);
}

impl App {
    /// Runs `f` on the top layer with the whole session at hand: the layer is taken off the
    /// stack for the call and put back (or replaced) by its outcome. Layers `f` opened stay
    /// above it.
    pub(crate) fn with_top<F>(&mut self, f: F)
    where
        F: FnOnce(&mut dyn Layer, &mut App) -> Outcome,
    {
        let Some(mut top) = self.layers.pop() else {
            return;
        };
        let at = self.layers.len();
        match f(top.as_mut(), self) {
            Outcome::Keep => self.layers.insert(at.min(self.layers.len()), top),
            Outcome::Close => {}
            Outcome::Replace(new) => self.layers.insert(at.min(self.layers.len()), new),
        }
    }

    /// Opens a layer above everything.
    pub(crate) fn push(&mut self, layer: impl Layer) {
        self.layers.push(Box::new(layer));
    }

    /// The topmost open layer of type `T`.
    pub fn layer<T: Layer>(&self) -> Option<&T> {
        self.layers
            .iter()
            .rev()
            .find_map(|l| (l.as_ref() as &dyn Any).downcast_ref::<T>())
    }

    /// The topmost open layer of type `T`, to change.
    pub fn layer_mut<T: Layer>(&mut self) -> Option<&mut T> {
        self.layers
            .iter_mut()
            .rev()
            .find_map(|l| (l.as_mut() as &mut dyn Any).downcast_mut::<T>())
    }

    /// Whether a layer of type `T` is open.
    pub fn has_layer<T: Layer>(&self) -> bool {
        self.layer::<T>().is_some()
    }

    /// The name of the top layer, if any.
    pub fn top_layer(&self) -> Option<&'static str> {
        self.layers.last().map(|l| l.name())
    }

    /// Lets every open layer re-check itself after another session changed the database
    /// (bottom first; each is taken off the stack for the call like the top one).
    pub(crate) fn refresh_layers(&mut self) {
        let mut i = 0;
        while i < self.layers.len() {
            let mut layer = self.layers.remove(i);
            layer.refresh(self);
            self.layers.insert(i.min(self.layers.len()), layer);
            i += 1;
        }
    }

    /// Closes the top layer because its input is discarded.
    pub(crate) fn discard_top(&mut self) {
        if let Some(mut top) = self.layers.pop() {
            top.discard(self);
        }
    }
}
