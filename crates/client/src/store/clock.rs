//! The device's hybrid logical clock, kept in the store so it never runs backwards across
//! restarts, and corrected by the offset to the server's clock learned at each sync.

use rusqlite::{Connection, params};

use ronda_core::Hlc;

use super::StoreError;

/// The next stamp for an op made now. Call inside the transaction that writes the op.
pub(super) fn tick(conn: &Connection, device_now_ms: i64) -> Result<Hlc, StoreError> {
    let (ms, n, offset): (i64, u32, i64) = conn.query_row(
        "SELECT hlc_ms, hlc_n, server_offset_ms FROM device_clock WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let next = Hlc { ms, n }.tick(device_now_ms + offset);
    conn.prepare_cached("UPDATE device_clock SET hlc_ms = ?1, hlc_n = ?2 WHERE id = 1")?
        .execute(params![next.ms, next.n])?;
    Ok(next)
}

/// Records the server's clock reading taken at `device_ms` and moves the clock past anything
/// the server has seen.
pub(super) fn observe_server(
    conn: &Connection,
    server_ms: i64,
    device_ms: i64,
) -> Result<(), StoreError> {
    let (ms, n): (i64, u32) = conn.query_row(
        "SELECT hlc_ms, hlc_n FROM device_clock WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let offset = server_ms - device_ms;
    let next = Hlc { ms, n }.observe(
        Hlc {
            ms: server_ms,
            n: 0,
        },
        device_ms + offset,
    );
    conn.prepare_cached(
        "UPDATE device_clock SET hlc_ms = ?1, hlc_n = ?2, server_offset_ms = ?3 WHERE id = 1",
    )?
    .execute(params![next.ms, next.n, offset])?;
    Ok(())
}
