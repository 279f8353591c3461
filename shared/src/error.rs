//! Stable error codes of the public API (docs/API.md "Errors") with their Dutch messages.
//!
//! Codes never change meaning once released; the app maps a code to the message shown to the user,
//! so the server and the tablet always tell the same story.

use serde::{Deserialize, Serialize};

crate::wire_enum! {
    /// Every error code the server can answer with. The string form is the wire format.
    pub enum ErrorCode {
        SyncSeqGap = "sync.seq_gap",
        SyncInvalidData = "sync.invalid_data",
        SyncUnknownKind = "sync.unknown_kind",
        SyncUnknownEntity = "sync.unknown_entity",
        SyncEntityExists = "sync.entity_exists",
        NoteInvalidText = "note.invalid_text",
        VisitInvalidTransition = "visit.invalid_transition",
        VisitInvalidReason = "visit.invalid_reason",
        FindingInvalidAnswer = "finding.invalid_answer",
        PhotoBlobMissing = "photo.blob_missing",
        PhotoInvalidImage = "photo.invalid_image",
        BlobHashMismatch = "blob.hash_mismatch",
        BlobOffsetMismatch = "blob.offset_mismatch",
        RequestInvalid = "request.invalid",
        RequestTooLarge = "request.too_large",
        NotFound = "request.not_found",
        AuthRequired = "auth.required",
        AuthForbidden = "auth.forbidden",
        AuthInvalidCredentials = "auth.invalid_credentials",
        AuthRateLimited = "auth.rate_limited",
        Internal = "server.internal",
        Unavailable = "server.unavailable",
        LhsoInvalidInput = "lhso.invalid_input",
        ProgrammeInvalidLine = "programme.invalid_line",
        RecordDuplicate = "record.duplicate",
        RecordVersionConflict = "record.version_conflict",
        ImportRejected = "import.rejected",
        ConfigInvalidLhsoMatrix = "config.invalid_lhso_matrix",
        ConfigInvalidRiskModel = "config.invalid_risk_model",
        EnforcementInvalidTransition = "enforcement.invalid_transition",
        EnforcementDeadlineNotPassed = "enforcement.deadline_not_passed",
        EnforcementInvalidStep = "enforcement.invalid_step",
        ReviewNotFinished = "review.not_finished",
        ReviewCommentRequired = "review.comment_required",
        PlanVisitNotMovable = "plan.visit_not_movable",
        PlanDayLocked = "plan.day_locked",
    }
}

impl ErrorCode {
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::SyncSeqGap => 409,
            ErrorCode::SyncInvalidData => 400,
            ErrorCode::SyncUnknownKind => 400,
            ErrorCode::SyncUnknownEntity => 404,
            ErrorCode::SyncEntityExists => 409,
            ErrorCode::NoteInvalidText => 400,
            ErrorCode::VisitInvalidTransition => 409,
            ErrorCode::VisitInvalidReason => 400,
            ErrorCode::ReviewNotFinished => 409,
            ErrorCode::ReviewCommentRequired => 400,
            ErrorCode::PlanVisitNotMovable | ErrorCode::PlanDayLocked => 409,
            ErrorCode::FindingInvalidAnswer => 400,
            ErrorCode::PhotoBlobMissing => 409,
            ErrorCode::PhotoInvalidImage => 422,
            ErrorCode::BlobHashMismatch => 422,
            ErrorCode::BlobOffsetMismatch => 409,
            ErrorCode::RequestInvalid
            | ErrorCode::LhsoInvalidInput
            | ErrorCode::ProgrammeInvalidLine
            | ErrorCode::ConfigInvalidLhsoMatrix
            | ErrorCode::ConfigInvalidRiskModel => 400,
            ErrorCode::RecordDuplicate | ErrorCode::RecordVersionConflict => 409,
            ErrorCode::EnforcementInvalidTransition | ErrorCode::EnforcementDeadlineNotPassed => {
                409
            }
            ErrorCode::EnforcementInvalidStep => 400,
            ErrorCode::AuthRequired | ErrorCode::AuthInvalidCredentials => 401,
            ErrorCode::AuthForbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::RequestTooLarge => 413,
            ErrorCode::ImportRejected => 422,
            ErrorCode::AuthRateLimited => 429,
            ErrorCode::Internal => 500,
            ErrorCode::Unavailable => 503,
        }
    }

    /// The Dutch message for users. Plain language, no internal details.
    pub fn message_nl(self) -> &'static str {
        match self {
            ErrorCode::SyncSeqGap => "Er ontbreken eerdere wijzigingen van dit apparaat; ze worden eerst opnieuw verstuurd.",
            ErrorCode::SyncInvalidData => "De wijziging bevat ongeldige gegevens.",
            ErrorCode::SyncUnknownKind => "Dit soort wijziging kent de server niet. Werk de app bij.",
            ErrorCode::SyncUnknownEntity => "Het onderdeel van deze wijziging bestaat niet (meer).",
            ErrorCode::SyncEntityExists => "Dit onderdeel bestaat al op de server.",
            ErrorCode::NoteInvalidText => "Een notitie moet 1 tot 4000 tekens lang zijn.",
            ErrorCode::VisitInvalidTransition => "Dit kan niet in de huidige status van het bezoek.",
            ErrorCode::VisitInvalidReason => {
                "Kies een reden; bij \"Anders\" is een toelichting van 1 tot 500 tekens nodig."
            }
            ErrorCode::ReviewNotFinished => "Dit bezoek is (nog) niet afgerond en kan niet worden beoordeeld.",
            ErrorCode::ReviewCommentRequired => "Schrijf bij het terugsturen wat de toezichthouder moet aanpassen.",
            ErrorCode::PlanVisitNotMovable => "Dit bezoek is al begonnen of afgerond en blijft bij de toezichthouder die eraan werkt.",
            ErrorCode::PlanDayLocked => "Deze dag is vastgezet. Maak hem eerst los om opnieuw te plannen.",
            ErrorCode::FindingInvalidAnswer => "Dit antwoord past niet bij de vraag van de checklist.",
            ErrorCode::PhotoBlobMissing => "De foto is nog niet (volledig) geüpload.",
            ErrorCode::PhotoInvalidImage => "Het bestand is geen geldige foto of is te groot om te verwerken.",
            ErrorCode::BlobHashMismatch => "Het bestand is onderweg beschadigd: de controlesom klopt niet. Het wordt opnieuw verstuurd.",
            ErrorCode::BlobOffsetMismatch => "Het uploaddeel sluit niet aan op wat de server al heeft.",
            ErrorCode::RequestInvalid => "Het verzoek is ongeldig: controleer de ingevulde gegevens.",
            ErrorCode::RequestTooLarge => "Het verzoek is te groot.",
            ErrorCode::NotFound => "Dit onderdeel bestaat niet of is niet voor u zichtbaar.",
            ErrorCode::AuthRequired => "U bent niet (meer) ingelogd. Log opnieuw in.",
            ErrorCode::AuthForbidden => "U heeft geen toestemming voor deze handeling.",
            ErrorCode::AuthInvalidCredentials => "Gebruikersnaam of wachtwoord is onjuist.",
            ErrorCode::AuthRateLimited => {
                "Te veel mislukte inlogpogingen. Probeer het over enkele minuten opnieuw."
            }
            ErrorCode::Internal => "Er ging iets mis op de server. Probeer het later opnieuw.",
            ErrorCode::Unavailable => "De server is tijdelijk niet beschikbaar.",
            ErrorCode::ProgrammeInvalidLine => {
                "De programmaregel is ongeldig: controleer jaar, product, bevoegd gezag, taakveld, aantal en uren."
            }
            ErrorCode::RecordDuplicate => "Dit bestaat al.",
            ErrorCode::RecordVersionConflict => {
                "Iemand anders heeft dit intussen gewijzigd. Laad de nieuwste versie en probeer het opnieuw."
            }
            ErrorCode::LhsoInvalidInput => {
                "De LHSO-inschaling is ongeldig: controleer gevolgen (1 t/m 4), gedrag (A t/m D) en de antwoorden."
            }
            ErrorCode::ImportRejected => {
                "Het bestand is niet geïmporteerd: één of meer regels zijn afgekeurd. Er is niets gewijzigd."
            }
            ErrorCode::ConfigInvalidLhsoMatrix => {
                "De LHSO-matrix is ongeldig: controleer versie, cellen, interventies (nooit lichter bij zwaardere cellen), vragen en drempels. Er is niets gewijzigd."
            }
            ErrorCode::EnforcementInvalidTransition => {
                "Deze stap past niet bij de huidige stand van de handhavingszaak. Er is niets gewijzigd."
            }
            ErrorCode::EnforcementDeadlineNotPassed => {
                "De termijn is nog niet verstreken: deze stap kan pas na afloop van de termijn. Er is niets gewijzigd."
            }
            ErrorCode::EnforcementInvalidStep => {
                "De stap is ongeldig: controleer datum (niet vóór vandaag, hooguit een jaar vooruit) en bedrag (meer dan 0). Er is niets gewijzigd."
            }
            ErrorCode::ConfigInvalidRiskModel => {
                "Het risicomodel is ongeldig: controleer versie en parameters. Er is niets gewijzigd."
            }
        }
    }
}

/// The inner object of an error answer: `{"code": "...", "message": "..."}`.
/// `code` stays a string so a newer server's codes still parse on an older tablet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
}

/// Every 4xx/5xx body: `{"error": {"code": "...", "message": "..."}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: ErrorBody,
}

impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> Self {
        ApiError {
            error: ErrorBody {
                code: code.as_str().to_owned(),
                message: code.message_nl().to_owned(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_through_its_wire_string() {
        for &code in ErrorCode::ALL {
            assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), code);
        }
    }

    #[test]
    fn codes_are_unique_dotted_and_have_a_dutch_message() {
        let mut seen = std::collections::HashSet::new();
        for &code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "duplicate {}", code.as_str());
            assert!(code.as_str().contains('.'));
            assert!(!code.message_nl().is_empty());
            assert!((400..600).contains(&code.http_status()));
        }
    }

    #[test]
    fn an_error_answer_has_the_documented_shape() {
        let v = serde_json::to_value(ApiError::from(ErrorCode::AuthInvalidCredentials)).unwrap();
        assert_eq!(v["error"]["code"], "auth.invalid_credentials");
        assert!(v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("wachtwoord"));
    }
}
