//! `ronda nihil` and `ronda patroli`: the daily check-in and the lurah's view of it.

use serde_json::json;

use ronda_client::StoreError;
use ronda_core::patrol::day_in_jakarta;
use ronda_core::{AreaCode, Timestamp};

use super::act::{NoArea, gps_fix};
use super::render::print_json;
use super::{Ctx, Failure, open};

pub fn nihil(
    ctx: &Ctx,
    area: Option<String>,
    lat_lon: Option<(f64, f64)>,
    accuracy: f64,
) -> Result<(), Failure> {
    let area: Option<AreaCode> = area
        .map(|a| a.parse())
        .transpose()
        .map_err(Failure::input)?;
    let position = gps_fix(lat_lon, accuracy)?;
    let mut store = open(ctx)?;
    let op = store
        .check_in_nihil(area, position)
        .map_err(Failure::store)?;
    let ronda_core::OpBody::Nihil(nihil) = &op.body else {
        unreachable!("a check-in makes a check-in op")
    };
    if ctx.json {
        print_json(&json!({ "id": nihil.id, "area": nihil.area, "day": nihil.day }));
    } else {
        println!(
            "{} {} ({})",
            ctx.lang
                .pick("Nihil tercatat untuk", "Checked in nihil for"),
            nihil.area,
            nihil.day
        );
    }
    Ok(())
}

pub fn day(ctx: &Ctx, day: Option<chrono::NaiveDate>, area: Option<String>) -> Result<(), Failure> {
    let store = open(ctx)?;
    let area: AreaCode = match area {
        Some(a) => a.parse().map_err(Failure::input)?,
        None => {
            let session = store
                .session()
                .map_err(Failure::store)?
                .ok_or_else(|| Failure::store(StoreError::SignedOut))?;
            ronda_core::patrol::day_view_area(&session.roles)
                .ok_or_else(|| Failure::input(NoArea))?
        }
    };
    let day = day.unwrap_or_else(|| day_in_jakarta(Timestamp::now()));
    let days = store.patrol_day(&area, day).map_err(Failure::store)?;
    if ctx.json {
        print_json(&json!({ "area": area, "day": day, "areas": days }));
        return Ok(());
    }
    println!("{area}  {day}");
    if days.is_empty() {
        println!(
            "  {}",
            ctx.lang.pick(
                "belum ada laporan atau nihil dari RT/RW mana pun",
                "no RT or RW has reported or checked in"
            )
        );
    }
    for d in &days {
        let nihil = match &d.nihil {
            Some(m) if m.sent => ctx.lang.pick("nihil", "nihil"),
            Some(_) => ctx
                .lang
                .pick("nihil (belum terkirim)", "nihil (not sent yet)"),
            None => "",
        };
        println!(
            "  {}  {}  {} {}",
            d.area,
            nihil,
            d.reports,
            ctx.lang.pick("laporan", "reports")
        );
    }
    Ok(())
}
