//! The intervention vocabulary of the LHSO (stable wire codes; Dutch names live in the app).

crate::wire_enum! {
    /// Interventions in the order light to heavy, as the API documents them. The declaration order
    /// is the severity order: `severity_rank` and `Ord` both follow it.
    pub enum Intervention {
        Inform = "inform",
        Address = "address",
        Warn = "warn",
        AdministrativeTalk = "administrative_talk",
        IntensifiedSupervision = "intensified_supervision",
        /// Last onder dwangsom (LOD).
        PenaltyOrder = "penalty_order",
        /// Last onder bestuursdwang (LOB).
        EnforcementOrder = "enforcement_order",
        TemporaryShutdown = "temporary_shutdown",
        Closure = "closure",
        PermitSuspension = "permit_suspension",
        PermitWithdrawal = "permit_withdrawal",
        AdministrativeFine = "administrative_fine",
        /// Proces-verbaal.
        OfficialReport = "official_report",
        /// Strafbeschikking.
        PunishmentOrder = "punishment_order",
    }
}

impl Intervention {
    /// The Dutch name, as the field app, the office and the annual report show it.
    pub fn label_nl(self) -> &'static str {
        match self {
            Intervention::Inform => "Informeren",
            Intervention::Address => "Aanspreken",
            Intervention::Warn => "Waarschuwen",
            Intervention::AdministrativeTalk => "Bestuurlijk gesprek",
            Intervention::IntensifiedSupervision => "Verscherpt toezicht",
            Intervention::PenaltyOrder => "Last onder dwangsom",
            Intervention::EnforcementOrder => "Last onder bestuursdwang",
            Intervention::TemporaryShutdown => "Tijdelijke stillegging",
            Intervention::Closure => "Sluiting",
            Intervention::PermitSuspension => "Schorsing vergunning",
            Intervention::PermitWithdrawal => "Intrekking vergunning",
            Intervention::AdministrativeFine => "Bestuurlijke boete",
            Intervention::OfficialReport => "Proces-verbaal",
            Intervention::PunishmentOrder => "Strafbeschikking",
        }
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
        for &i in Intervention::ALL {
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
