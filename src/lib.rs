//! Tandem: the terminal application with which the Jugendamt der Stadt Herten and the
//! Jobcenter Kreis Recklinghausen work together on young people under 25.
//!
//! Crate map (who may use whom; see docs/architecture.md § 3):
//! - [`domain`]: pure types and rules; std, chrono, serde, thiserror only.
//! - [`model`]: the read models the screens show and the inputs they hand the store; uses
//!   `domain`.
//! - [`storage`]: SQLite; uses `domain` and `model`.
//! - [`action`], [`keymap`]: named actions and key bindings; use `domain` ids, serde, toml.
//! - [`ui`]: drawing; uses `domain` and `model` types, `action`, `keymap`, strings. No
//!   store, no files.
//! - [`terminal`]: terminal set-up and restore.
//! - [`app`]: the only module with effects; wires everything.
//! - [`cli`], [`config`], [`demo`]: command line, configuration, demo and seed data.
//! - [`hardening`]: what the process does for itself at start (umask, no core, not
//!   dumpable).

pub mod action;
pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod documents;
pub mod domain;
pub mod export;
pub mod files;
pub mod hardening;
pub mod keymap;
pub mod logging;
pub mod model;
pub mod session;
pub mod storage;
pub mod strings;
pub mod terminal;
pub mod theme;
pub mod ui;
pub mod widgets;
