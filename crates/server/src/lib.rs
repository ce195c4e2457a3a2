//! The Ronda server: accounts and devices, the sync endpoint, resumable photo uploads, all over
//! a storage trait with an embedded SQLite backend.
//!
//! Architecture invariant: only this crate knows HTTP status codes. The rules it enforces (who
//! may do what, how edits merge) come from `ronda-core`.

pub mod admin;
pub mod areas;
pub mod auth;
pub mod config;
pub mod error;
pub mod http;
pub mod places;
mod public;
pub mod safety_map;
pub mod storage;
pub mod sync;
mod upload_docs;
pub mod uploads;
