//! Hybrid logical clocks: order concurrent edits by device time corrected by the server's time,
//! with a counter for edits in the same millisecond. The server clamps stamps from the far
//! future instead of trusting them.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::id::OpId;

/// A hybrid logical clock reading: milliseconds since 1970 (UTC) and a counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Hlc {
    pub ms: i64,
    pub n: u32,
}

/// How far ahead of the server's clock a stamp may be before it is clamped.
pub const MAX_FUTURE_MS: i64 = 5 * 60 * 1000;

impl Hlc {
    pub const ZERO: Hlc = Hlc { ms: 0, n: 0 };

    /// The next reading after `self`, given the (corrected) wall clock now.
    pub fn tick(self, wall_ms: i64) -> Hlc {
        if wall_ms > self.ms {
            Hlc { ms: wall_ms, n: 0 }
        } else {
            Hlc {
                ms: self.ms,
                n: self.n.saturating_add(1),
            }
        }
    }

    /// Moves this clock past a reading received from elsewhere.
    pub fn observe(self, other: Hlc, wall_ms: i64) -> Hlc {
        let max = self.max(other);
        if wall_ms > max.ms {
            Hlc { ms: wall_ms, n: 0 }
        } else {
            Hlc {
                ms: max.ms,
                n: max.n.saturating_add(1),
            }
        }
    }

    /// What the server keeps of a device's stamp: unchanged unless it is more than
    /// [`MAX_FUTURE_MS`] ahead of the server's clock, in which case it becomes the server's now.
    pub fn clamp(self, server_ms: i64) -> (Hlc, bool) {
        if self.ms > server_ms + MAX_FUTURE_MS {
            (
                Hlc {
                    ms: server_ms,
                    n: self.n,
                },
                true,
            )
        } else {
            (self, false)
        }
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.ms, self.n)
    }
}

/// What orders two writes to the same field: the clock reading, then the op id, so every
/// replica picks the same winner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stamp {
    pub hlc: Hlc,
    pub op: OpId,
}

impl PartialOrd for Stamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Stamp {
    fn cmp(&self, other: &Self) -> Ordering {
        self.hlc
            .cmp(&other.hlc)
            .then_with(|| self.op.cmp(&other.op))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn ticks_always_move_forward(start_ms in 0i64..1i64<<45, n in 0u32..1000, walls in prop::collection::vec(0i64..1i64<<45, 1..50)) {
            let mut clock = Hlc { ms: start_ms, n };
            for wall in walls {
                let next = clock.tick(wall);
                prop_assert!(next > clock);
                let seen = Hlc { ms: wall.saturating_add(7), n: 3 };
                let after = next.observe(seen, wall);
                prop_assert!(after > next && after > seen);
                clock = after;
            }
        }

        #[test]
        fn clamping_bounds_the_future(ms in 0i64..1i64<<50, server in 0i64..1i64<<45) {
            let (clamped, changed) = Hlc { ms, n: 1 }.clamp(server);
            prop_assert!(clamped.ms <= server + MAX_FUTURE_MS);
            prop_assert_eq!(changed, ms > server + MAX_FUTURE_MS);
        }
    }
}
