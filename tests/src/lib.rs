//! Support code for Ronda's cross-crate end-to-end tests and benchmarks.
//!
//! [`netshape`] is a loopback TCP proxy that makes a local connection behave like a cheap phone
//! on 2G or 3G: slow, far away, and now and then cut.

pub mod netshape;
