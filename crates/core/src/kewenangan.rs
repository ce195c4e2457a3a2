//! The kewenangan matrix: which body is responsible for a category of problem in an area. The
//! catalogue gives every category a default agency; admins add rules for particular areas (a
//! kota whose drains belong to another body, a kelurahan that handles its own street lights).

use serde::{Deserialize, Serialize};

use crate::agency::AgencyCode;
use crate::area::AreaCode;
use crate::category::{self, CategoryCode};

/// One admin rule: in `area` (and everything inside it), `category` goes to `agency`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub category: CategoryCode,
    pub area: AreaCode,
    pub agency: AgencyCode,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Kewenangan {
    rules: Vec<Rule>,
}

impl Kewenangan {
    pub fn new(rules: Vec<Rule>) -> Self {
        Self { rules }
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The responsible body: the rule for the category over the smallest area holding the
    /// report, else the catalogue's agency, else the kelurahan office.
    pub fn responsible(&self, category: &CategoryCode, area: Option<&AreaCode>) -> AgencyCode {
        let ruled = area.and_then(|area| {
            self.rules
                .iter()
                .filter(|r| &r.category == category && r.area.contains(area))
                .max_by_key(|r| r.area.level())
                .map(|r| r.agency)
        });
        ruled.unwrap_or_else(|| {
            category::lookup(category.as_str())
                .map(|c| c.agency)
                .unwrap_or(AgencyCode::Kelurahan)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(s: &str) -> AreaCode {
        s.parse().unwrap()
    }

    #[test]
    fn the_smallest_ruled_area_wins_then_the_catalogue() {
        let pju = CategoryCode::parse("pju-mati").unwrap();
        let m = Kewenangan::new(vec![
            Rule {
                category: pju.clone(),
                area: area("31.71"),
                agency: AgencyCode::CitaTata,
            },
            Rule {
                category: pju.clone(),
                area: area("31.71.01.1001"),
                agency: AgencyCode::Kelurahan,
            },
        ]);
        let rt = area("31.71.01.1001/RW 003/RT 007");
        assert_eq!(m.responsible(&pju, Some(&rt)), AgencyCode::Kelurahan);
        assert_eq!(
            m.responsible(&pju, Some(&area("31.71.01.1002"))),
            AgencyCode::CitaTata
        );
        let default = category::lookup("pju-mati").unwrap().agency;
        assert_eq!(m.responsible(&pju, Some(&area("31.74.01.1001"))), default);
        assert_eq!(m.responsible(&pju, None), default);
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<Kewenangan>(&json).unwrap(), m);
    }
}
