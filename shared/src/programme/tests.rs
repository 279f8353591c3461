use super::*;

fn authorities() -> HashMap<String, String> {
    HashMap::from([
        ("GM0197".to_owned(), "aalten".to_owned()),
        ("aalten".to_owned(), "aalten".to_owned()),
        ("PV25".to_owned(), "gelderland".to_owned()),
        ("gelderland".to_owned(), "gelderland".to_owned()),
    ])
}

fn focus() -> HashMap<String, String> {
    HashMap::from([("veilige garages".to_owned(), "fp-1".to_owned())])
}

fn sectors() -> Vec<String> {
    vec!["garage".into(), "bakery".into()]
}

fn text_rows(lines: &[&str]) -> Vec<(u64, Vec<Cell>)> {
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let cells = l
                .split(';')
                .map(|c| {
                    if c.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(c.into())
                    }
                })
                .collect();
            (i as u64 + 1, cells)
        })
        .collect()
}

#[test]
fn a_dutch_table_with_names_codes_and_decimal_commas_is_read() {
    let rows = text_rows(&[
        "Product;Gemeente;Taakgroep;Aantal;Uren;Sector",
        "Controle garages;GM0197;Basistaak;1.200;1.500,5;garage",
        "Asbestproject;Gelderland;projecten;0;300;",
    ]);
    let lines = read_import(&rows, &authorities(), &sectors(), &focus()).unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].line, 2);
    assert_eq!(lines[0].authority_id, "aalten");
    assert_eq!(lines[0].task_group, TaskGroup::Basistaak);
    assert_eq!(lines[0].planned_count, 1200);
    assert_eq!(lines[0].planned_hours, 1500.5);
    assert_eq!(lines[0].sector, Some(Some("garage".into())));
    assert_eq!(lines[1].task_group, TaskGroup::Project);
    assert_eq!(lines[1].sector, Some(None));
    // Without a focus point column an existing line keeps its focus point.
    assert_eq!(lines[1].focus_point_id, None);
}

#[test]
fn spreadsheet_numbers_are_taken_as_numbers() {
    let rows = vec![
        (
            1,
            TEMPLATE_HEADER
                .iter()
                .map(|h| Cell::Text((*h).into()))
                .collect(),
        ),
        (
            2,
            vec![
                Cell::Text("Bakkerijen".into()),
                Cell::Text("pv25".into()),
                Cell::Text("plustaak".into()),
                Cell::Number(40.0),
                Cell::Number(62.25),
                Cell::Text("bakery".into()),
            ],
        ),
    ];
    let lines = read_import(&rows, &authorities(), &sectors(), &focus()).unwrap();
    assert_eq!(lines[0].planned_count, 40);
    assert_eq!(lines[0].planned_hours, 62.25);
    assert_eq!(lines[0].authority_id, "gelderland");
}

#[test]
fn every_bad_row_is_reported_with_line_and_column_and_nothing_is_returned() {
    let rows = text_rows(&[
        "product;authority;task_group;planned_count;planned_hours;sector",
        "Goed;GM0197;basistaak;10;20;garage",
        ";GM9999;hobby;-1;tien;ruimtevaart",
        "Goed;aalten;Basistaak;3;4;",
        "Half;GM0197;basistaak;2,5;1,234;",
    ]);
    let problems = read_import(&rows, &authorities(), &sectors(), &focus()).unwrap_err();
    let found: Vec<(u64, Option<&str>)> = problems
        .iter()
        .map(|p| (p.line, p.column.as_deref()))
        .collect();
    assert_eq!(
        found,
        vec![
            (3, Some("product")),
            (3, Some("authority")),
            (3, Some("task_group")),
            (3, Some("planned_count")),
            (3, Some("planned_hours")),
            (3, Some("sector")),
            // The same product, authority and task group as line 2 (the name and code agree).
            (4, None),
            (5, Some("planned_count")),
            (5, Some("planned_hours")),
        ]
    );
    assert!(problems[1].reason.contains("GM9999"));
    assert!(problems[6].reason.contains("regel 2"));
}

#[test]
fn a_header_with_unknown_duplicate_or_missing_columns_is_refused() {
    let rows = text_rows(&["product;gemeente;authority;kleur;aantal"]);
    let problems = read_import(&rows, &authorities(), &sectors(), &focus()).unwrap_err();
    let columns: Vec<&str> = problems
        .iter()
        .filter_map(|p| p.column.as_deref())
        .collect();
    assert_eq!(
        columns,
        vec!["authority", "kleur", "task_group", "planned_hours"]
    );
    assert!(problems.iter().all(|p| p.line == 1));
    assert!(read_import(&[], &authorities(), &sectors(), &focus()).is_err());
}

#[test]
fn empty_rows_are_skipped_and_too_many_rows_refused() {
    let mut lines = vec!["product;authority;task_group;planned_count;planned_hours"];
    lines.push(";;;;");
    assert_eq!(
        read_import(&text_rows(&lines), &authorities(), &sectors(), &focus()),
        Ok(vec![])
    );
    let row = "P;GM0197;basistaak;1;1";
    let many: Vec<&str> = std::iter::once(lines[0])
        .chain(std::iter::repeat_n(row, MAX_IMPORT_ROWS + 1))
        .collect();
    let problems =
        read_import(&text_rows(&many), &authorities(), &sectors(), &focus()).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert!(problems[0].reason.contains("hooguit"));
}

#[test]
fn task_groups_read_in_dutch_and_as_wire_names() {
    for (text, group) in [
        ("basistaak", TaskGroup::Basistaak),
        ("Basistaken", TaskGroup::Basistaak),
        ("PLUSTAAK", TaskGroup::Plustaak),
        ("Projecten", TaskGroup::Project),
        ("bedrijfsvoering", TaskGroup::Bedrijfsvoering),
    ] {
        assert_eq!(TaskGroup::parse_nl(text), Some(group), "{text}");
    }
    assert_eq!(TaskGroup::parse_nl("toezicht"), None);
}

#[test]
fn a_line_names_its_focus_point_by_title() {
    let rows = text_rows(&[
        "product;gemeente;taakgroep;aantal;uren;speerpunt",
        "Controle garages;GM0197;basistaak;10;20;Veilige Garages",
        "Controle horeca;GM0197;basistaak;5;10;",
        "Asbest;GM0197;project;0;10;Asbest eruit",
    ]);
    let problems = read_import(&rows, &authorities(), &sectors(), &focus()).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(
        (problems[0].line, problems[0].column.as_deref()),
        (4, Some("speerpunt"))
    );
    let lines = read_import(&rows[..3], &authorities(), &sectors(), &focus()).unwrap();
    assert_eq!(lines[0].focus_point_id, Some(Some("fp-1".into())));
    assert_eq!(lines[1].focus_point_id, Some(None));
}
