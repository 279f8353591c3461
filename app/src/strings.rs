//! Every user-facing text of the app, in Dutch, in one place so a second language can be added.

use shared::checklist::Theme;
use shared::coords::OnSite;
use shared::lhso::Intervention;
use shared::sync::MutationKind;

use crate::error::AppError;
use crate::store::Delivery;
use shared::planner::VisitKind;
use shared::visit::{NotPossibleReason, VisitStatus};
use shared::{ErrorCode, Role};

pub const APP_NAME: &str = "Schouw";
pub const LOADING: &str = "Laden…";

pub const LOGIN_TITLE: &str = "Inloggen";
pub const LOGIN_INTRO: &str = "Log in met uw account van de omgevingsdienst.";
pub const USERNAME: &str = "Gebruikersnaam";
pub const PASSWORD: &str = "Wachtwoord";
pub const LOGIN_BUTTON: &str = "Inloggen";
pub const LOGIN_BUSY: &str = "Bezig met inloggen…";
pub const LOGIN_NEEDS_NETWORK: &str =
    "Inloggen kan alleen met een internetverbinding. Probeer het opnieuw zodra u verbinding heeft.";
pub const LOGOUT: &str = "Uitloggen";

pub const ONLINE: &str = "Online";
pub const OFFLINE: &str = "Offline";
pub const NOT_FOUND_TITLE: &str = "Pagina niet gevonden";
pub const NOT_FOUND_LINK: &str = "Naar de startpagina";
pub const STORAGE_FAILED: &str =
    "De opslag op dit apparaat is niet beschikbaar. Gebruik een gewone (geen privé-)browservenster.";

// Sync.
pub const SYNC_NOW: &str = "Nu synchroniseren";
pub const SYNC_TITLE: &str = "Synchronisatie";
pub const SYNC_IDLE: &str = "Bijgewerkt";
pub const SYNC_OFFLINE: &str = "Geen verbinding";
pub const SYNC_ERROR: &str = "Synchronisatie mislukt";
pub const SYNC_NO_SERVER: &str =
    "De server is niet bereikbaar. Uw werk blijft op dit apparaat bewaard.";
pub const SYNC_NO_ANSWER: &str =
    "De server gaf geen antwoord op de verzonden wijzigingen. Ze worden later opnieuw verstuurd.";
pub const SYNC_STORAGE_FAILED: &str =
    "De opslag op dit apparaat gaf een fout; er is niets verloren gegaan. Probeer het opnieuw.";
pub const SYNC_OTHER_USER: &str = "Op dit apparaat staan nog niet verzonden wijzigingen van een andere gebruiker. Laat die gebruiker eerst inloggen om ze te verzenden.";
pub const SYNC_LAST: &str = "Laatst gesynchroniseerd";
pub const SYNC_NEVER: &str = "Nog niet gesynchroniseerd";
pub const SYNC_PENDING: &str = "Wacht op verzending";
pub const PHOTO_QUEUE: &str = "Foto's verzenden";
pub const PHOTO_ON_SERVER_ONLY: &str =
    "Staat veilig op de server; van dit apparaat verwijderd om ruimte te maken.";
pub const STORAGE: &str = "Opslag op dit apparaat";
pub const STORAGE_PERSISTENT: &str = "Permanente opslag";
pub const STORAGE_INSTALLED: &str = "Geïnstalleerd als app";
pub const YES_LOWER: &str = "ja";
pub const NO_LOWER: &str = "nee";
pub const UNKNOWN: &str = "onbekend";

/// `12,3 van 1.024,0 MB gebruikt`.
pub fn storage_usage(usage: u64, quota: u64) -> String {
    let mb = |b: u64| shared::nl::grouped(b as f64 / 1_048_576.0, 1);
    format!("{} van {} MB gebruikt", mb(usage), mb(quota))
}

/// What the inspector should do about a storage risk.
pub fn storage_warning(w: shared::device_storage::StorageWarning) -> &'static str {
    use shared::device_storage::StorageWarning;
    match w {
        StorageWarning::NotPersisted => "De browser heeft geen permanente opslag toegestaan: bij ruimtegebrek kan hij gegevens van Schouw wissen. Installeer de app en synchroniseer zo vaak als u verbinding heeft.",
        StorageWarning::NotInstalled => "Schouw draait in een browsertabblad, waar de browser opgeslagen gegevens kan wissen. Installeer de app (menu van de browser: \"Installeren\" of \"Toevoegen aan startscherm\") en synchroniseer zo vaak als u verbinding heeft.",
        StorageWarning::LowSpace => "Weinig opslagruimte op dit apparaat. Bevestigde foto's worden al verwijderd; synchroniseer en maak ruimte vrij voordat u verder werkt.",
    }
}
pub const PHOTO_SENDING: &str = "Wordt verzonden";
pub const SYNC_OLDEST: &str = "Oudste wijziging van";
pub const SYNC_NOTHING_PENDING: &str = "Alles is verzonden.";
pub const SYNC_PROBLEMS: &str = "Niet verwerkt door de server";
pub const SYNC_PROBLEMS_INTRO: &str = "Deze wijzigingen heeft de server niet overgenomen. Ze blijven hier staan; uw teamleider ziet ze ook.";
pub const SYNC_PROBLEM_CONFLICT: &str = "Conflict";
pub const SYNC_PROBLEM_REJECTED: &str = "Geweigerd";
pub const SYNC_DETAILS: &str = "Details";
pub const TEAM_SYNC_TITLE: &str = "Team: apparaten en synchronisatie";
pub const TEAM_ONLINE_ONLY: &str =
    "Dit overzicht komt van de server en is alleen online beschikbaar.";
pub const TEAM_DEVICES: &str = "Apparaten";
pub const TEAM_NO_DEVICES: &str = "Nog geen apparaat heeft gesynchroniseerd.";
pub const TEAM_INSPECTOR: &str = "Toezichthouder";
pub const TEAM_LAST_CONTACT: &str = "Laatste contact";
pub const TEAM_STATE: &str = "Toestand";
pub const TEAM_PROBLEMS: &str = "Open conflicten en weigeringen";
pub const TEAM_NO_PROBLEMS: &str = "Er staat niets open.";
pub const REFRESH: &str = "Vernieuwen";
pub const TEAM_SETTLE: &str = "Afhandelen: versie van de server aanhouden";
pub const TEAM_SETTLING: &str = "Afgehandeld, wordt doorgegeven…";

/// Label and CSS/test class of a device's sync health.
pub fn device_health(h: shared::sync::DeviceHealth) -> (&'static str, &'static str) {
    use shared::sync::DeviceHealth;
    match h {
        DeviceHealth::UpToDate => ("Bijgewerkt", "up-to-date"),
        DeviceHealth::Pending => ("Verzendt", "pending"),
        DeviceHealth::Stuck => ("Loopt vast: oude wijzigingen blijven staan", "stuck"),
        DeviceHealth::Silent => ("Geen contact", "silent"),
    }
}

pub const PROBLEM_RESEND: &str = "Mijn versie opnieuw versturen";
pub const PROBLEM_ACCEPT_SERVER: &str = "Versie van de server aanhouden";
pub const PROBLEM_ACKNOWLEDGE: &str = "Gezien, server aanhouden";

pub fn photo_progress(done: usize, total: usize) -> String {
    format!("Foto's versturen {} van {total}", (done + 1).min(total))
}

pub fn sync_progress(done: usize, total: usize) -> String {
    if total == 0 {
        "Synchroniseren…".to_owned()
    } else {
        format!("Verzenden {done} van {total}")
    }
}

pub fn sync_retry(seconds: u32) -> String {
    format!("Nieuwe poging over {seconds} s.")
}

pub fn pending_count(n: usize) -> String {
    match n {
        1 => "1 wijziging wacht".to_owned(),
        n => format!("{n} wijzigingen wachten"),
    }
}

pub fn logout_unsent(n: usize) -> String {
    format!(
        "Er {} nog {n} {} niet naar de server verzonden. Na het uitloggen blijven ze op dit apparaat en worden ze pas verzonden als u weer inlogt. Toch uitloggen?",
        if n == 1 { "is" } else { "zijn" },
        if n == 1 { "wijziging" } else { "wijzigingen" }
    )
}

pub fn mutation_label(kind: &MutationKind) -> &'static str {
    match kind {
        MutationKind::VisitStart => "Bezoek gestart",
        MutationKind::VisitFinish => "Bezoek afgerond",
        MutationKind::VisitNoteAdd => "Notitie toegevoegd",
        MutationKind::VisitNoteEdit => "Notitie gewijzigd",
        MutationKind::FindingUpsert => "Antwoord checklist",
        MutationKind::PhotoAttach => "Foto",
        MutationKind::ViolationAssess => "LHSO-inschaling",
        MutationKind::ProblemResolve => "Afhandeling probleem",
        MutationKind::CaseReinspect => "Hercontrole",
        MutationKind::VisitNotPossible => "Bezoek niet mogelijk",
        MutationKind::Other(_) => "Wijziging",
    }
}

// My day and visits.
pub const OUTDOOR_VIEW: &str = "Buitenweergave";
pub const ACCESSIBILITY: &str = "Toegankelijkheid";
pub const MY_DAY: &str = "Mijn dag";
pub const TODAY: &str = "Vandaag";
pub const DAY_VIEW: &str = "Weergave van de dag";
pub const LIST: &str = "Lijst";
pub const MAP: &str = "Kaart";
pub const MAP_CAPTION: &str =
    "Kaart van de route van vandaag: de bezoeken genummerd in volgorde, met hun status.";
pub const MAP_LOCATING: &str = "Positie van de tablet wordt bepaald…";
pub const MAP_HERE: &str = "De blauwe stip is uw positie.";
pub const MAP_NO_POSITION: &str =
    "Positie van de tablet onbekend; de kaart toont alleen de bezoeken.";

/// The day's load under the day picker: `3 bezoeken · 5,0 uur gepland` (a visit that was not
/// possible is counted apart).
pub fn day_load(visits: usize, hours: f64, not_possible: usize) -> String {
    let mut text = format!(
        "{visits} {} · {} uur gepland",
        if visits == 1 { "bezoek" } else { "bezoeken" },
        crate::util::number_nl(hours, 1)
    );
    if not_possible > 0 {
        text.push_str(&format!(" · {not_possible} niet mogelijk"));
    }
    text
}
pub const NO_VISITS: &str = "Geen bezoeken op deze dag op dit apparaat.";
pub const NO_VISITS_YET: &str =
    "De bezoeklijst is nog niet op dit apparaat. Zodra er verbinding is, wordt hij opgehaald.";
pub const SCORE: &str = "Prioriteit";
pub const WHY: &str = "Waarom deze locatie?";
pub const SIZE: &str = "Omvang";
pub const BACK_TO_DAY: &str = "← Mijn dag";
pub const VISIT_NOT_ON_DEVICE: &str = "Dit bezoek staat niet op dit apparaat.";
pub const START_VISIT: &str = "Start bezoek";
/// The start button of a visit the team lead returned: the inspector reopens it to correct it.
pub const START_CORRECTION: &str = "Correctie starten";
pub const RETURNED_BY_LEAD: &str = "Teruggestuurd door de teamleider";
pub const STARTING: &str = "Bezig met starten…";
pub const FINISH_VISIT: &str = "Bezoek afronden";
pub const FINISH_CONFIRM: &str =
    "Het bezoek afronden? Daarna kunt u de checklist en notities niet meer wijzigen.";
pub const NOT_POSSIBLE_OPEN: &str = "Niet mogelijk…";
pub const NOT_POSSIBLE_TITLE: &str = "Bezoek niet mogelijk";
pub const NOT_POSSIBLE_WHY: &str = "Waarom is het bezoek niet mogelijk?";
pub const NOT_POSSIBLE_NOTE: &str = "Toelichting";
pub const NOT_POSSIBLE_NOTE_HINT: &str = "Verplicht bij \"Anders\", hoogstens 500 tekens.";
pub const NOT_POSSIBLE_SAVE: &str = "Niet mogelijk opslaan";
pub const NOT_POSSIBLE_CHANGE: &str = "Reden wijzigen";
pub const NOT_POSSIBLE_MARKED: &str = "Gemarkeerd om";
pub const NOT_POSSIBLE_AFTER: &str =
    "De locatie gaat terug naar de planning. Kunt u toch nog langs, start dan het bezoek.";
pub const STARTED_AT: &str = "Gestart om";
pub const FINISHED_AT: &str = "Afgerond om";
pub const POSITION_UNKNOWN: &str = "Positie niet vastgelegd";
pub const CHECKLIST: &str = "Checklist";
pub const NOT_A_NUMBER: &str = "Dit is geen getal. Vul een getal in, bijvoorbeeld 12,5.";
pub const NO_TEMPLATE: &str = "Voor deze branche staat geen checklist op dit apparaat.";
pub const CHECKLIST_AFTER_START: &str = "Start het bezoek om de checklist in te vullen.";
pub const CHECKLIST_DONE: &str =
    "Het bezoek is afgerond; de checklist kan niet meer worden gewijzigd.";

/// The finish confirmation, listing the checklist items that have no answer yet.
pub fn finish_confirm(unanswered: &[&str]) -> String {
    if unanswered.is_empty() {
        return FINISH_CONFIRM.to_owned();
    }
    let shown: Vec<String> = unanswered
        .iter()
        .take(8)
        .map(|t| format!("• {t}"))
        .collect();
    let more = unanswered.len().saturating_sub(shown.len());
    format!(
        "{} {} van de checklist {} nog niet beantwoord:\n{}{}\n\nToch afronden? Daarna kunt u de checklist en notities niet meer wijzigen.",
        unanswered.len(),
        if unanswered.len() == 1 { "vraag" } else { "vragen" },
        if unanswered.len() == 1 { "is" } else { "zijn" },
        shown.join("\n"),
        if more > 0 { format!("\n… en nog {more}") } else { String::new() },
    )
}
pub const YES: &str = "Ja";
pub const NO: &str = "Nee";
pub const NOT_APPLICABLE: &str = "N.v.t.";
pub const SAVE: &str = "Opslaan";
pub const CANCEL: &str = "Annuleren";
pub const EDIT: &str = "Wijzigen";
pub const VIOLATION: &str = "Overtreding";
pub const PHOTOS: &str = "Foto's";
pub const NO_PHOTOS: &str = "Nog geen foto's.";
pub const TAKE_PHOTO: &str = "Foto maken";
pub const PHOTO_SAVING: &str = "Foto opslaan…";
pub const PHOTO_SAVE_FAILED: &str =
    "De foto kon niet worden opgeslagen op dit apparaat. Probeer het opnieuw.";
pub const PHOTO_BYTES_MISSING: &str =
    "De foto staat niet meer op dit apparaat (opslag gewist) en kan niet worden verzonden.";
pub const PHOTO_OF_ITEM: &str = "Foto bij dit punt";
pub const PHOTO_TAKEN: &str = "Foto vastgelegd";
pub const PHOTO_DISCARD: &str = "Foto van dit apparaat verwijderen";
pub const PHOTO_DISCARD_CONFIRM: &str =
    "De server heeft deze foto geweigerd. Foto van dit apparaat verwijderen? Dit kan niet ongedaan worden gemaakt.";

/// A photo's state in the one delivery vocabulary (`delivery_label`).
pub fn photo_state_label(state: crate::store::PhotoState) -> &'static str {
    delivery_label(crate::store::photo_delivery(state))
}

/// `1,2 van 3,4 MB`: bytes of photos sent, for the progress bars.
pub fn bytes_progress(sent: u64, total: u64) -> String {
    let mb = |b: u64| crate::util::number_nl(b as f64 / 1_048_576.0, 1);
    format!("{} van {} MB", mb(sent), mb(total))
}
pub const NOTES: &str = "Notities";
pub const NO_NOTES: &str = "Nog geen notities.";
pub const NOTE_PLACEHOLDER: &str = "Schrijf een notitie…";
pub const ADD_NOTE: &str = "Notitie toevoegen";
pub const NOTE_INVALID: &str = "Een notitie moet 1 tot 4000 tekens lang zijn.";
pub const SAVE_FAILED: &str = "Opslaan op dit apparaat is mislukt. Probeer het opnieuw.";
pub const HISTORY: &str = "Eerdere controles";
pub const NO_HISTORY: &str = "Geen eerdere controles bekend.";
pub const COMPLIANT: &str = "Geen overtredingen";
pub const VIOLATIONS: &str = "Overtredingen";
pub const REPEAT: &str = "herhaald";
pub const DEADLINE: &str = "hersteltermijn";
pub const REMEDIED: &str = "hersteld op";
pub const SITE: &str = "Locatie";

// LHSO (landelijke handhavingsstrategie): scoring a violation on the device.
pub const LHSO_OPEN: &str = "Overtreding inschalen";
pub const LHSO_REOPEN: &str = "Opnieuw inschalen";
pub const LHSO_TITLE: &str = "Inschaling volgens de LHSO";
pub const LHSO_DEFAULT_SUFFIX: &str = "niet door uw omgevingsdienst vastgesteld";
pub const LHSO_MATRIX: &str = "Matrix";
pub const LHSO_REPEAT: &str = "Herhaalde overtreding op deze locatie (verzwarende omstandigheid)";
pub const LHSO_ANSWER_ALL: &str = "Beantwoord alle vragen voor een voorgestelde cel.";
pub const LHSO_SUGGESTED: &str = "Voorgestelde cel";
pub const LHSO_CHOSEN: &str = "Gekozen cel";
pub const LHSO_BOA_YES: &str =
    "Overleg met een BOA of het Openbaar Ministerie over strafrechtelijk optreden.";
pub const LHSO_BOA_NO: &str = "Bestuursrechtelijk optreden; strafrechtelijk overleg is niet nodig.";
pub const LHSO_INTERVENTIONS: &str = "Voorgestelde interventies";
pub const LHSO_DEADLINE: &str = "Hersteltermijn tot";
pub const LHSO_NO_DEADLINE: &str = "Geen hersteltermijn";
pub const LHSO_EXPLANATION: &str = "Toelichting";
pub const LHSO_CELL: &str = "Cel";
pub const LHSO_REASON: &str = "Reden voor afwijking van de voorgestelde cel";
pub const LHSO_REASON_NEEDED: &str =
    "Een andere cel dan de voorgestelde kiest u alleen met een schriftelijke reden.";
pub const LHSO_SAVE: &str = "Inschaling opslaan";
pub const LHSO_DEVIATION: &str = "Afwijking van de voorgestelde cel";
pub const LHSO_PENDING: &str = "wacht op verzending";
pub const LHSO_SENT: &str = "ontvangen door de server";
pub const LHSO_UNAVAILABLE: &str = "De LHSO-matrix is op dit apparaat niet beschikbaar.";
pub const LHSO_CHOOSE_INTERVENTION: &str = "Interventie";
pub const LHSO_OTHER_INTERVENTION: &str = "Andere interventie (met reden)";
pub const LHSO_NO_OTHER: &str = "— geen andere —";
pub const LHSO_INTERVENTION_REASON: &str = "Reden voor deze interventie";
pub const LHSO_INTERVENTION_REASON_NEEDED: &str =
    "Deze interventie hoort niet bij de cel: geef een reden op.";
pub const LHSO_CHOSEN_INTERVENTION: &str = "Gekozen interventie";
pub const LHSO_BOA_CONSULTED: &str = "BOA of politie/OM geraadpleegd";
pub const LHSO_BOA_NOT_CONSULTED: &str = "BOA of politie/OM (nog) niet geraadpleegd";
pub const LHSO_DEADLINE_FIELD: &str = "Hersteltermijn (datum)";
pub const LHSO_DEADLINE_INVALID: &str =
    "De hersteltermijn kan niet vóór vandaag liggen. Kies een latere datum.";
pub const LHSO_REPEAT_REASON: &str = "Reden waarom dit geen herhaalde overtreding is";
pub const LHSO_REPEAT_REASON_NEEDED: &str =
    "De geschiedenis wijst op een herhaalde overtreding: geef een reden als u dit uitzet.";

/// The repeat-offence hint from the site's history.
pub fn lhso_earlier(date: chrono::NaiveDate, description: &str) -> String {
    format!("Eerder geconstateerd op {}: {description}", date_nl(date))
}

/// Which matrix gave the advice: a default is always labelled as such.
pub fn lhso_matrix_label(version: &str, is_default: bool) -> String {
    if is_default {
        format!("Standaardmatrix {version} — {LHSO_DEFAULT_SUFFIX}")
    } else {
        format!("{LHSO_MATRIX} {version}")
    }
}

/// Dutch display names of the intervention codes (the codes are the API's vocabulary).
pub fn intervention_label(i: Intervention) -> &'static str {
    i.label_nl()
}
pub const SECTOR: &str = "Branche";
pub const RULE: &str = "Regel";

/// The on-site verdict (`shared::coords::on_site`, the rule the server records) with its distance.
pub fn on_site(verdict: OnSite, metres: Option<f64>) -> String {
    let distance = match metres {
        Some(m) if m < 1000.0 => format!("{} m", m.round() as i64),
        Some(m) => format!("{} km", crate::util::number_nl(m / 1000.0, 1)),
        None => String::new(),
    };
    match verdict {
        OnSite::Near => format!("Op locatie (op {distance})"),
        OnSite::Far => format!("Niet bij de locatie (op {distance})"),
        OnSite::Unknown => POSITION_UNKNOWN.to_owned(),
    }
}

// Re-inspection of enforcement cases.
pub const REINSPECTION: &str = "Hercontrole";
pub const REINSPECTION_INTRO: &str =
    "Controleer per openstaande zaak of de overtreding is hersteld. Een foto bij 'Foto's' wordt met het oordeel meegestuurd.";
pub const FOUND_ON: &str = "Geconstateerd op";
pub const REINSPECTION_DUE: &str = "hercontrole vanaf";
pub const REMEDIED_BUTTON: &str = "Hersteld";
pub const NOT_REMEDIED_BUTTON: &str = "Niet hersteld";
pub const VERDICT_REMEDIED: &str = "Hersteld: de zaak wordt gesloten.";
pub const VERDICT_NOT_REMEDIED: &str = "Niet hersteld.";
pub const VERDICT_PENDING: &str = "wacht op verzending";
pub const VERDICT_SENT: &str = "ontvangen door de server";
pub const EVIDENCE_PHOTOS: &str = "foto's bij de constatering";

/// Why "not remedied" cannot be given yet.
pub fn not_before(deadline: chrono::NaiveDate) -> String {
    format!(
        "'Niet hersteld' kan pas vanaf {} (einde termijn).",
        date_nl(deadline)
    )
}

/// A case's state in Dutch.
pub fn case_state_label(state: shared::enforcement::CaseState) -> &'static str {
    use shared::enforcement::CaseState as S;
    match state {
        S::Open => "Geconstateerd, brief nog niet verstuurd",
        S::LetterSent => "Brief met hersteltermijn verstuurd",
        S::NotRemedied => "Niet hersteld",
        S::IntentionSent => "Voornemen verstuurd",
        S::ResponseReceived => "Zienswijze ontvangen",
        S::Decision => "Besluit genomen (begunstigingstermijn)",
        S::Forfeited => "Verbeurd",
        S::Collected => "Ingevorderd",
        S::Closed => "Gesloten",
    }
}

/// The next step the office is expected to take, in Dutch, with its deadline.
pub fn next_step_label(
    step: shared::enforcement::Step,
    deadline: Option<chrono::NaiveDate>,
) -> String {
    use shared::enforcement::{Sanction, Step};
    let what = match step {
        Step::LetterSent { .. } => "brief met hersteltermijn",
        Step::IntentionSent {
            sanction: Sanction::PenaltyOrder,
            ..
        } => "voornemen last onder dwangsom",
        Step::IntentionSent {
            sanction: Sanction::EnforcementOrder,
            ..
        } => "voornemen last onder bestuursdwang",
        Step::DecisionTaken { .. } => "besluit met begunstigingstermijn",
        Step::Collected { .. } => "invordering",
        _ => "volgende stap",
    };
    match deadline {
        Some(d) => format!(
            "Voorgestelde vervolgstap: {what}, termijn tot {}.",
            date_nl(d)
        ),
        None => format!("Voorgestelde vervolgstap: {what}."),
    }
}

pub fn kind_label(kind: VisitKind) -> &'static str {
    match kind {
        VisitKind::Planned => "gepland",
        VisitKind::Reinspection => "hercontrole",
        VisitKind::Sample => "steekproef",
    }
}

pub fn status_label(status: VisitStatus) -> &'static str {
    match status {
        VisitStatus::Planned => "Nog te doen",
        VisitStatus::InProgress => "Bezig",
        VisitStatus::Done => "Afgerond",
        VisitStatus::Returned => "Teruggestuurd",
        VisitStatus::NotPossible => "Niet mogelijk",
    }
}

pub fn not_possible_label(reason: NotPossibleReason) -> &'static str {
    match reason {
        NotPossibleReason::Closed => "Gesloten of niemand aanwezig",
        NotPossibleReason::NoAccess => "Geen toegang verleend",
        NotPossibleReason::Ceased => "Bedrijf beëindigd of verhuisd",
        NotPossibleReason::Unsafe => "Onveilige situatie",
        NotPossibleReason::NoTime => "Geen tijd meer vandaag",
        NotPossibleReason::Other => "Anders",
    }
}

pub fn delivery_label(d: Delivery) -> &'static str {
    match d {
        Delivery::Saved => "Opgeslagen op apparaat",
        Delivery::Waiting => "Wacht op verzending",
        Delivery::Sent => "Verzonden",
        Delivery::Confirmed => "Bevestigd door server",
        Delivery::Problem => "Probleem: zie synchronisatie",
    }
}

pub fn factor_label(name: &str) -> &str {
    match name {
        "activities" => "Activiteiten",
        "sector" => "Branche",
        "waste_volume" => "Hoeveelheid afval",
        "fuel_volume" => "Brandstofomzet",
        "energy_use" => "Energieverbruik",
        "hazardous_substances" => "Gevaarlijke stoffen",
        "sensitive_surroundings" => "Gevoelige omgeving",
        "violations" => "Eerdere overtredingen",
        "repeat_offence" => "Herhaalde overtreding",
        "open_enforcement_case" => "Lopende handhavingszaak",
        "external_signals" => "Meldingen en klachten",
        "clean_inspections" => "Eerdere controles zonder overtreding",
        "focus_points" => "Speerpunten",
        "overdue" => "Controle achterstallig",
        "manual_boost" => "Voorrang van de teamleider",
        other => other,
    }
}

pub fn sector_label(code: &str) -> &str {
    shared::risk::sector_label_nl(code)
}

pub fn theme_label(theme: Theme) -> &'static str {
    match theme {
        Theme::Notification => "Melding en vergunning",
        Theme::SoilProtection => "Bodembescherming",
        Theme::HazardousSubstances => "Gevaarlijke stoffen",
        Theme::Tanks => "Tanks",
        Theme::Waste => "Afval",
        Theme::Discharges => "Lozingen",
        Theme::AirOdour => "Lucht en geur",
        Theme::Noise => "Geluid",
        Theme::RefrigerationHeating => "Koel- en verwarmingsinstallaties",
        Theme::Energy => "Energie",
        Theme::Livestock => "Dierenverblijven",
    }
}

const WEEKDAYS: [&str; 7] = ["ma", "di", "wo", "do", "vr", "za", "zo"];
const MONTHS: [&str; 12] = [
    "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
];

/// `ma 30 nov`, or `vandaag`.
pub fn day_label(date: chrono::NaiveDate) -> String {
    if date == crate::util::today() {
        return "Vandaag".to_owned();
    }
    short_day(date)
}

/// `vr 4 dec`.
pub fn short_day(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!(
        "{} {} {}",
        WEEKDAYS[date.weekday().num_days_from_monday() as usize],
        date.day(),
        MONTHS[date.month0() as usize]
    )
}

/// `30-11-2026`.
pub fn date_nl(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:02}-{:02}-{}", date.day(), date.month(), date.year())
}

pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Inspector => "Toezichthouder",
        Role::TeamLead => "Teamleider",
        Role::Manager => "Management",
        Role::AuthorityViewer => "Bevoegd gezag",
        Role::Admin => "Beheerder",
    }
}

/// Title and introduction of each role's landing page.
pub fn landing(role: Role) -> (&'static str, &'static str) {
    match role {
        Role::Inspector => (
            "Mijn dag",
            "Hier verschijnt uw bezoeklijst voor vandaag, op volgorde van risico en route.",
        ),
        Role::TeamLead => (
            "Team vandaag",
            "Hier ziet u de voortgang per toezichthouder en wat op uw beoordeling wacht.",
        ),
        Role::Manager => (
            "Realisatie",
            "Hier volgt u de realisatie van het uitvoeringsprogramma en het jaarverslag.",
        ),
        Role::AuthorityViewer => (
            "Mijn gemeente",
            "Hier ziet u de locaties, controles en cijfers van uw eigen bevoegd gezag.",
        ),
        Role::Admin => (
            "Beheer",
            "Hier beheert u gebruikers, checklists, het risicomodel en de LHSO-matrix.",
        ),
    }
}

/// The Dutch message for an error code from the server; unknown codes (a newer server) fall back
/// to the message the server sent.
pub fn error_message(code: &str, server_message: &str) -> String {
    code_message(ErrorCode::parse(code), server_message)
}

fn code_message(code: Option<ErrorCode>, server_message: &str) -> String {
    match code {
        Some(known) => known.message_nl().to_owned(),
        None => server_message.to_owned(),
    }
}

/// How an error reads on screen: only views call these.
impl AppError {
    /// For a page's own action (logging in, loading the team page, saving on the device).
    pub fn user_message(&self) -> String {
        match self {
            AppError::Network => LOGIN_NEEDS_NETWORK.to_owned(),
            AppError::Api { code, message, .. } => code_message(*code, message),
            AppError::Storage(_) => SAVE_FAILED.to_owned(),
            AppError::NoAnswer => SYNC_NO_ANSWER.to_owned(),
            AppError::OtherUser => SYNC_OTHER_USER.to_owned(),
            AppError::Refused(code) | AppError::Rule(code) => code.message_nl().to_owned(),
        }
    }

    /// Why a sync run stopped (the sync panel and bar): the work stays on the device.
    pub fn sync_message(&self) -> String {
        match self {
            AppError::Network => SYNC_NO_SERVER.to_owned(),
            AppError::Storage(_) => SYNC_STORAGE_FAILED.to_owned(),
            other => other.user_message(),
        }
    }
}
