//! The intervention vocabulary of the LHSO (stable wire codes; Dutch names live in the app).

use serde::{Deserialize, Serialize};

/// Interventions in the order light to heavy, as the API documents them. The declaration order
/// is the severity order: `severity_rank` and `Ord` both follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intervention {
    Inform,
    Address,
    Warn,
    AdministrativeTalk,
    IntensifiedSupervision,
    /// Last onder dwangsom (LOD).
    PenaltyOrder,
    /// Last onder bestuursdwang (LOB).
    EnforcementOrder,
    TemporaryShutdown,
    Closure,
    PermitSuspension,
    PermitWithdrawal,
    AdministrativeFine,
    /// Proces-verbaal.
    OfficialReport,
    /// Strafbeschikking.
    PunishmentOrder,
}

impl Intervention {
    pub const ALL: [Intervention; 14] = [
        Intervention::Inform,
        Intervention::Address,
        Intervention::Warn,
        Intervention::AdministrativeTalk,
        Intervention::IntensifiedSupervision,
        Intervention::PenaltyOrder,
        Intervention::EnforcementOrder,
        Intervention::TemporaryShutdown,
        Intervention::Closure,
        Intervention::PermitSuspension,
        Intervention::PermitWithdrawal,
        Intervention::AdministrativeFine,
        Intervention::OfficialReport,
        Intervention::PunishmentOrder,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Intervention::Inform => "inform",
            Intervention::Address => "address",
            Intervention::Warn => "warn",
            Intervention::AdministrativeTalk => "administrative_talk",
            Intervention::IntensifiedSupervision => "intensified_supervision",
            Intervention::PenaltyOrder => "penalty_order",
            Intervention::EnforcementOrder => "enforcement_order",
            Intervention::TemporaryShutdown => "temporary_shutdown",
            Intervention::Closure => "closure",
            Intervention::PermitSuspension => "permit_suspension",
            Intervention::PermitWithdrawal => "permit_withdrawal",
            Intervention::AdministrativeFine => "administrative_fine",
            Intervention::OfficialReport => "official_report",
            Intervention::PunishmentOrder => "punishment_order",
        }
    }

    pub fn parse(code: &str) -> Option<Intervention> {
        Intervention::ALL.into_iter().find(|i| i.as_str() == code)
    }

    /// 0 (inform) to 13 (punishment_order).
    pub fn severity_rank(self) -> u8 {
        self as u8
    }

    /// Criminal-law track (proces-verbaal, strafbeschikking), as opposed to administrative law.
    pub fn is_criminal(self) -> bool {
        matches!(
            self,
            Intervention::OfficialReport | Intervention::PunishmentOrder
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_codes_match_serde_and_round_trip() {
        for i in Intervention::ALL {
            assert_eq!(
                serde_json::to_string(&i).unwrap(),
                format!("\"{}\"", i.as_str())
            );
            assert_eq!(Intervention::parse(i.as_str()), Some(i));
        }
        assert_eq!(Intervention::parse("fine"), None);
    }

    #[test]
    fn severity_ranks_follow_the_documented_light_to_heavy_order() {
        let ranks: Vec<u8> = Intervention::ALL
            .iter()
            .map(|i| i.severity_rank())
            .collect();
        assert_eq!(ranks, (0..14).collect::<Vec<u8>>());
        assert_eq!(Intervention::ALL[0].as_str(), "inform");
        assert_eq!(Intervention::ALL[13].as_str(), "punishment_order");
    }
}
