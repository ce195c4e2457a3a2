//! Ronda on the device: the durable local store and its outbox, and the photo pipeline. The
//! `ronda` command-line client is built on the same API the app uses.

pub mod photo;
pub mod store;
pub mod sync;
pub mod tus;

pub use store::{Store, StoreConfig, StoreError};
