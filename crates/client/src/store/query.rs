//! The questions a field app asks of its reports: what is near me, what is in this map view,
//! which match these filters or these words.

use rusqlite::types::Value;
use serde::Serialize;

use ronda_core::location::LocationError;
use ronda_core::search;
use ronda_core::{
    AreaCode, BoundingBox, CategoryCode, Coordinate, Location, ReportId, ReportKind, ReportStatus,
    Timestamp,
};

use super::reports::{StoredReport, unreadable};
use super::{Store, StoreError};

/// Within `radius_m` metres of `centre`, by great-circle distance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Near {
    centre: Coordinate,
    radius_m: f64,
    search_box: BoundingBox,
}

impl Near {
    pub fn new(centre: Coordinate, radius_m: f64) -> Result<Self, LocationError> {
        Ok(Self {
            centre,
            radius_m,
            search_box: BoundingBox::around(centre, radius_m)?,
        })
    }
    pub fn centre(&self) -> Coordinate {
        self.centre
    }
    pub fn radius_m(&self) -> f64 {
        self.radius_m
    }
}

/// Filters that all must hold. Results come nearest first when `near` is set, otherwise newest
/// first; at most `limit` of them.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportQuery {
    pub near: Option<Near>,
    pub bbox: Option<BoundingBox>,
    /// Any of these statuses; empty means any status.
    pub statuses: Vec<ReportStatus>,
    pub kind: Option<ReportKind>,
    pub category: Option<CategoryCode>,
    /// This area or any area inside it.
    pub area: Option<AreaCode>,
    /// Words that must all appear in the description (Indonesian stems match; see
    /// `ronda_core::search`).
    pub text: Option<String>,
    pub limit: usize,
}

impl Default for ReportQuery {
    fn default() -> Self {
        Self {
            near: None,
            bbox: None,
            statuses: vec![],
            kind: None,
            category: None,
            area: None,
            text: None,
            limit: Self::DEFAULT_LIMIT,
        }
    }
}

impl ReportQuery {
    pub const DEFAULT_LIMIT: usize = 100;
}

/// A report as a list or a map shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportSummary {
    pub id: ReportId,
    pub kind: ReportKind,
    pub category: CategoryCode,
    pub status: ReportStatus,
    pub location: Location,
    pub description: Option<String>,
    pub area: Option<AreaCode>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub photo_count: u32,
    /// A safety audit's score, 0 to 100 ([`ronda_core::safety::score`]), when it has ratings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Metres from the `near` centre, when the query had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<f64>,
}

impl Store {
    pub fn query(&self, q: &ReportQuery) -> Result<Vec<ReportSummary>, StoreError> {
        self.query_unnamed(q).map_err(|e| e.at(&self.path))
    }

    fn query_unnamed(&self, q: &ReportQuery) -> Result<Vec<ReportSummary>, StoreError> {
        let mut sql = String::from(
            "SELECT r.id, r.kind, r.category, r.status, r.lat, r.lon, r.accuracy_m, r.location_source,
                    r.location_at, r.description, r.area, r.created_at, r.updated_at, r.ratings,
                    (SELECT count(*) FROM photo p WHERE p.report_seq = r.seq)",
        );
        let mut params: Vec<Value> = Vec::new();
        let bind = |v: Value, params: &mut Vec<Value>| {
            params.push(v);
            format!("?{}", params.len())
        };
        let boxes: Vec<BoundingBox> = q
            .near
            .map(|n| n.search_box)
            .into_iter()
            .chain(q.bbox)
            .collect();
        if boxes.is_empty() {
            sql.push_str(" FROM report r WHERE 1");
        } else {
            // The R*Tree first; then the report row by its key.
            sql.push_str(" FROM report_geo g CROSS JOIN report r ON r.seq = g.seq WHERE 1");
            for b in &boxes {
                let (s, w, n, e) = (b.south(), b.west(), b.north(), b.east());
                let [ps, pw, pn, pe] = [s, w, n, e].map(|v| bind(Value::Real(v), &mut params));
                sql.push_str(&format!(
                    " AND g.max_lat >= {ps} AND g.min_lat <= {pn} AND g.max_lon >= {pw} AND g.min_lon <= {pe}
                      AND r.lat BETWEEN {ps} AND {pn} AND r.lon BETWEEN {pw} AND {pe}"
                ));
            }
        }
        if !q.statuses.is_empty() {
            let list: Vec<String> = q
                .statuses
                .iter()
                .map(|s| bind(Value::Text(s.code().into()), &mut params))
                .collect();
            sql.push_str(&format!(" AND r.status IN ({})", list.join(", ")));
        }
        if let Some(kind) = q.kind {
            sql.push_str(&format!(
                " AND r.kind = {}",
                bind(Value::Text(kind.code().into()), &mut params)
            ));
        }
        if let Some(category) = &q.category {
            sql.push_str(&format!(
                " AND r.category = {}",
                bind(Value::Text(category.to_string()), &mut params)
            ));
        }
        if let Some(area) = &q.area {
            let p = bind(Value::Text(area.to_string()), &mut params);
            // Codes nest by prefix: `31.71.01` holds `31.71.01.1001` and `31.71.01.1001/RW 003`.
            sql.push_str(&format!(
                " AND (r.area = {p} OR substr(r.area, 1, length({p}) + 1) IN ({p} || '.', {p} || '/'))"
            ));
        }
        if let Some(text) = &q.text {
            let Some(matcher) = fts5_query(text) else {
                return Ok(vec![]);
            };
            let p = bind(Value::Text(matcher), &mut params);
            sql.push_str(&format!(
                " AND r.seq IN (SELECT rowid FROM report_fts WHERE report_fts MATCH {p})"
            ));
        }
        if q.near.is_none() {
            let p = bind(Value::Integer(q.limit as i64), &mut params);
            sql.push_str(&format!(
                " ORDER BY r.created_at DESC, r.seq DESC LIMIT {p}"
            ));
        }

        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |row| {
            Ok((StoredReport::from_row(row, 0)?, row.get::<_, u32>(14)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (stored, photo_count) = row?;
            let distance_m = match q.near {
                None => None,
                Some(near) => {
                    let here = Coordinate::new(stored.lat, stored.lon).map_err(unreadable)?;
                    let d = near.centre.distance_m(&here);
                    if d > near.radius_m {
                        continue;
                    }
                    Some(d)
                }
            };
            out.push(summary(stored, photo_count, distance_m)?);
        }
        if q.near.is_some() {
            out.sort_by(|a, b| {
                a.distance_m
                    .total_cmp(&b.distance_m)
                    .then_with(|| b.id.cmp(&a.id))
            });
            out.truncate(q.limit);
        }
        Ok(out)
    }
}

trait TotalCmpOpt {
    fn total_cmp(&self, other: &Self) -> std::cmp::Ordering;
}
impl TotalCmpOpt for Option<f64> {
    fn total_cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.unwrap_or(f64::INFINITY)
            .total_cmp(&other.unwrap_or(f64::INFINITY))
    }
}

/// A list row. Lists are hot (a map redraw reads a thousand rows), so this checks only what it
/// turns into typed values; the description was checked when it was written.
fn summary(
    stored: StoredReport,
    photo_count: u32,
    distance_m: Option<f64>,
) -> Result<ReportSummary, StoreError> {
    Ok(ReportSummary {
        id: stored.id()?,
        kind: stored.kind()?,
        category: CategoryCode::parse(&stored.category).map_err(unreadable)?,
        status: stored.status()?,
        location: stored.location()?,
        area: stored.area()?,
        created_at: stored.created_at()?,
        updated_at: stored.updated_at()?,
        photo_count,
        score: stored.ratings()?.as_ref().map(ronda_core::safety::score),
        distance_m,
        description: stored.description,
    })
}

/// An FTS5 query for the words of `text`: every word must match, by any of its stems. `None`
/// when the text has no words at all.
fn fts5_query(text: &str) -> Option<String> {
    let groups = search::query_terms(text);
    if groups.is_empty() {
        return None;
    }
    let quote = |t: &String| format!("\"{}\"", t.replace('"', "\"\""));
    Some(
        groups
            .iter()
            .map(|alternatives| {
                format!(
                    "({})",
                    alternatives
                        .iter()
                        .map(quote)
                        .collect::<Vec<_>>()
                        .join(" OR ")
                )
            })
            .collect::<Vec<_>>()
            .join(" AND "),
    )
}
