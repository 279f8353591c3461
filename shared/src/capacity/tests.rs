use super::*;

fn site(authority: &str, sector: &str, interval: Option<u32>, hours: f64) -> SiteNeed {
    SiteNeed {
        authority_id: authority.into(),
        sector: sector.into(),
        interval_months: interval,
        hours_per_visit: hours,
    }
}

fn line(authority: &str, sector: Option<&str>, count: i64, hours: f64) -> PlannedLine {
    PlannedLine {
        authority_id: authority.into(),
        sector: sector.map(Into::into),
        planned_count: count,
        planned_hours: hours,
    }
}

/// Two authorities: Aalten with a garage every 12 months (4 h) and one every 24 months (4 h), a
/// sample-only office; Berkelland with a fuel station every 6 months (3 h).
fn fixture() -> (Vec<SiteNeed>, Vec<PlannedLine>, BTreeMap<String, String>) {
    let sites = vec![
        site("a", "garage", Some(12), 4.0),
        site("a", "garage", Some(24), 4.0),
        site("a", "office", None, 2.0),
        site("b", "fuel_station", Some(6), 3.0),
    ];
    let lines = vec![
        line("a", Some("garage"), 1, 4.0),
        line("b", Some("fuel_station"), 2, 6.0),
        line("b", None, 0, 100.0),
    ];
    let names = BTreeMap::from([
        ("a".into(), "Aalten".into()),
        ("b".into(), "Berkelland".into()),
    ]);
    (sites, lines, names)
}

#[test]
fn required_visits_and_hours_follow_the_class_intervals_and_sizes() {
    let (sites, lines, names) = fixture();
    let available = Available {
        fte: 0.1,
        productive_hours_per_fte: 1_200.0,
    };
    let c = capacity(
        2026,
        None,
        &sites,
        &lines,
        &names,
        str::to_owned,
        Some(available),
    );
    // Visits: 12/12 + 12/24 + 0 + 12/6 = 1 + 0.5 + 2 = 3.5; hours: 4 + 2 + 6 = 12.
    assert_eq!((c.sites, c.sites_regular), (4, 3));
    assert_eq!(c.required_visits, 3.5);
    assert_eq!(c.required_hours, 12.0);
    // Planned inspections: the two lines with a sector (3 visits, 10 h); all hours 110.
    assert_eq!(
        (c.planned_count, c.planned_inspection_hours, c.planned_hours),
        (3, 10.0, 110.0)
    );
    assert_eq!(c.available_hours, Some(120.0));
    let a = &c.by_authority[0];
    assert_eq!(
        (
            a.name.as_str(),
            a.sites,
            a.required_visits,
            a.required_hours
        ),
        ("Aalten", 2, 1.5, 6.0)
    );
    assert_eq!((a.planned_count, a.planned_hours), (1, 4.0));
    let b = &c.by_authority[1];
    assert_eq!(
        (
            b.required_visits,
            b.required_hours,
            b.planned_count,
            b.planned_hours
        ),
        (2.0, 6.0, 2, 6.0)
    );
    // Sectors by required hours: garage 6 = fuel station 6 (by key), office 0.
    let sectors: Vec<&str> = c.by_sector.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(sectors, ["fuel_station", "garage", "office"]);
    // The rows add up to the totals.
    let sum: f64 = c.by_authority.iter().map(|r| r.required_hours).sum();
    assert_eq!(sum, c.required_hours);
}

#[test]
fn one_authority_sees_its_own_figures_without_the_agencys_capacity() {
    let (sites, lines, names) = fixture();
    let available = Available {
        fte: 1.0,
        productive_hours_per_fte: 1_000.0,
    };
    let c = capacity(
        2026,
        Some("b"),
        &sites,
        &lines,
        &names,
        str::to_owned,
        Some(available),
    );
    assert_eq!(
        (c.sites, c.required_visits, c.planned_hours),
        (1, 2.0, 106.0)
    );
    assert_eq!((c.available, c.available_hours), (None, None));
    assert_eq!(c.by_authority.len(), 1);
}

#[test]
fn the_summary_states_the_gap_in_dutch() {
    let (sites, lines, names) = fixture();
    let short = Available {
        fte: 0.05,
        productive_hours_per_fte: 1_000.0,
    };
    let c = capacity(
        2026,
        None,
        &sites,
        &lines,
        &names,
        str::to_owned,
        Some(short),
    );
    let text = summary(&c).join(" ");
    assert!(text.starts_with("Het risicomodel vraagt in 2026 4 controles (12 uur) bij 3 van de 4 locaties; het programma plant 3 controles (10 uur) en in totaal 110 uur."), "{text}");
    assert!(text.contains("Beschikbaar: 0,1 fte × 1.000 productieve uren = 50 uur; het programma vraagt 60 uur meer dan er is."), "{text}");
    // 12 hours of demand against 50 available: no shortfall sentence.
    assert!(
        !text.contains("Voor alles wat het risicomodel vraagt"),
        "{text}"
    );
    let tight = Available {
        fte: 0.01,
        productive_hours_per_fte: 1_000.0,
    };
    let c = capacity(
        2026,
        None,
        &sites,
        &lines,
        &names,
        str::to_owned,
        Some(tight),
    );
    assert!(summary(&c).join(" ").contains(
        "Voor alles wat het risicomodel vraagt is 2 uur meer nodig dan er beschikbaar is."
    ));
    let none = capacity(2026, None, &sites, &lines, &names, str::to_owned, None);
    assert!(summary(&none).join(" ").contains("nog niet ingevuld"));
}

#[test]
fn capacity_figures_are_checked() {
    assert!(Available {
        fte: 12.5,
        productive_hours_per_fte: 1_250.0
    }
    .valid());
    for (fte, hours) in [
        (-1.0, 1_000.0),
        (1.0, 2_001.0),
        (f64::NAN, 1.0),
        (20_000.0, 1.0),
    ] {
        assert!(
            !Available {
                fte,
                productive_hours_per_fte: hours
            }
            .valid(),
            "{fte} {hours}"
        );
    }
    assert_eq!(visits_per_year(Some(36)), 1.0 / 3.0);
    assert_eq!(visits_per_year(None), 0.0);
}
