//! Kabar, the in-app inbox, worked out from what the device holds after a sync: for reporters
//! and supporters, every step others took on their reports; for everyone, the reports waiting on
//! a step they may take, with the deadline each is up against. And the lurah's walk list.

use serde::Serialize;

use ronda_core::authz::{self, Actor};
use ronda_core::field_queue::{Stop, field_queue};
use ronda_core::lifecycle::{ActionKind, HistoryEntry};
use ronda_core::sla::{Deadlines, Flag, SlaClock};
use ronda_core::sync::ServerReport;
use ronda_core::{AreaCode, CategoryCode, Coordinate, ReportId, ReportStatus, Role, Timestamp};

use super::reports::unreadable;
use super::sync_state::current_state;
use super::{Store, StoreError};

/// A step someone else took on a report of the person's own or one they support.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct News {
    pub report: ReportId,
    pub category: CategoryCode,
    pub step: HistoryEntry,
    pub unread: bool,
}

/// A report waiting on a step the person may take (for a camat or admin, only once overdue).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Waiting {
    pub report: ReportId,
    pub category: CategoryCode,
    pub status: ReportStatus,
    pub area: Option<AreaCode>,
    pub location: Coordinate,
    /// The steps offered, with the role each is taken in.
    pub actions: Vec<(Role, ActionKind)>,
    pub sla: SlaClock,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kabar {
    /// Newest first.
    pub news: Vec<News>,
    pub unread: usize,
    /// Overdue first, then due soon, then by deadline.
    pub waiting: Vec<Waiting>,
    pub due_soon: usize,
    pub overdue: usize,
}

impl Store {
    /// The inbox at `now` for the signed-in person; empty when nobody is signed in.
    pub fn kabar(&self, deadlines: &Deadlines, now: Timestamp) -> Result<Kabar, StoreError> {
        let mut kabar = Kabar {
            news: vec![],
            unread: 0,
            waiting: vec![],
            due_soon: 0,
            overdue: 0,
        };
        let Some(session) = self.session()? else {
            return Ok(kabar);
        };
        let read_at: Option<i64> =
            self.conn
                .query_row("SELECT kabar_read_at FROM session", [], |r| r.get(0))?;
        let actor = Actor {
            user: session.user_id,
            assignments: session.roles,
        };
        for state in self.all_states()? {
            let r = &state.report;
            let mine = state.reporter == actor.user || state.supporters.contains(&actor.user);
            if mine {
                for step in state.history.iter().filter(|h| h.by != actor.user) {
                    let unread = read_at.is_none_or(|t| step.at.millis() > t);
                    kabar.unread += usize::from(unread);
                    kabar.news.push(News {
                        report: r.id(),
                        category: r.category().clone(),
                        step: step.clone(),
                        unread,
                    });
                }
            }
            let actions = authz::offered_actions(&actor, state.status, state.target());
            if actions.is_empty() {
                continue;
            }
            let sla = deadlines.clock(&state, now);
            // The camat (and the admin above them) sees a report once it is overdue: escalated.
            let escalation_only = actions
                .iter()
                .all(|(role, _)| matches!(role, Role::Camat | Role::Admin));
            if escalation_only && !sla.escalates() {
                continue;
            }
            kabar.due_soon += usize::from(sla.flag == Flag::Amber);
            kabar.overdue += usize::from(sla.flag == Flag::Red);
            kabar.waiting.push(Waiting {
                report: r.id(),
                category: r.category().clone(),
                status: state.status,
                area: r.area().copied(),
                location: r.location().coord,
                actions,
                sla,
            });
        }
        kabar.news.sort_by_key(|n| std::cmp::Reverse(n.step.at));
        kabar.waiting.sort_by(|a, b| {
            b.sla
                .flag
                .cmp(&a.sla.flag)
                .then(a.sla.step_deadline.cmp(&b.sla.step_deadline))
        });
        Ok(kabar)
    }

    /// Marks every step up to `at` as read.
    pub fn mark_kabar_read(&self, at: Timestamp) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE session SET kabar_read_at = max(coalesce(kabar_read_at, 0), ?1)",
            [at.millis()],
        )?;
        Ok(())
    }

    /// The lurah's walk list: the reports in `area` still to verify (new or reopened), nearest
    /// first by walking distance from `here`.
    pub fn field_queue(
        &self,
        area: &AreaCode,
        here: Coordinate,
    ) -> Result<Vec<Stop<super::ReportSummary>>, StoreError> {
        let open = self.query(&super::ReportQuery {
            area: Some(*area),
            statuses: vec![ReportStatus::Baru, ReportStatus::DibukaKembali],
            limit: usize::MAX,
            ..Default::default()
        })?;
        Ok(field_queue(
            here,
            open.into_iter().map(|r| {
                let at = r.location.coord;
                (r, at)
            }),
        ))
    }

    /// Every report as the device believes it now.
    fn all_states(&self) -> Result<Vec<ServerReport>, StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        let ids: Vec<String> = tx
            .prepare("SELECT id FROM report ORDER BY seq")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let id: ReportId = id.parse().map_err(unreadable)?;
            if let Some(state) = current_state(&tx, id)? {
                out.push(state);
            }
        }
        Ok(out)
    }
}
