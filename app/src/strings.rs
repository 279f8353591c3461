//! Every user-facing text of the app, in Dutch, in one place so a second language can be added.

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
    match ErrorCode::parse(code) {
        Some(known) => known.message_nl().to_owned(),
        None => server_message.to_owned(),
    }
}
