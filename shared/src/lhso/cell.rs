//! The two axes of the LHSO matrix and the cell code (`B3`) that combines them.
//!
//! These newtypes are parsed at the edge, so inside the engine a cell is always on the 4x4 grid.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::LhsoError;

/// Consequences of the violation (gevolgen), 1 (practically none) to 4 (considerable/irreversible).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Consequence(u8);

impl Consequence {
    pub const ALL: [Consequence; 4] = [
        Consequence(1),
        Consequence(2),
        Consequence(3),
        Consequence(4),
    ];

    /// Accepts a wide integer so that out-of-range wire values (0, -1, 99) reach a typed error
    /// instead of a serde failure.
    pub fn new(digit: i64) -> Result<Self, LhsoError> {
        match digit {
            1..=4 => Ok(Consequence(digit as u8)),
            _ => Err(LhsoError::ConsequenceOutOfRange(digit)),
        }
    }

    pub fn digit(self) -> u8 {
        self.0
    }

    /// 0-based position on the axis.
    pub fn index(self) -> usize {
        usize::from(self.0 - 1)
    }

    pub fn from_index(index: usize) -> Option<Self> {
        Consequence::ALL.get(index).copied()
    }

    pub fn next(self) -> Option<Self> {
        Consequence::from_index(self.index() + 1)
    }
}

impl fmt::Display for Consequence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl FromStr for Consequence {
    type Err = LhsoError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().parse::<i64>() {
            Ok(n) => Consequence::new(n),
            Err(_) => Err(LhsoError::ConsequenceOutOfRange(0)),
        }
    }
}

impl Serialize for Consequence {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.0)
    }
}

impl<'de> Deserialize<'de> for Consequence {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Map keys arrive as strings ("1"), values as numbers; accept both.
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(i64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Number(n) => Consequence::new(n),
            Raw::Text(s) => s.parse(),
        }
        .map_err(serde::de::Error::custom)
    }
}

/// Behaviour of the offender (gedrag), A (well-meaning) to D (criminal/deliberate and structural).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Behaviour(u8);

impl Behaviour {
    pub const ALL: [Behaviour; 4] = [Behaviour(0), Behaviour(1), Behaviour(2), Behaviour(3)];

    pub fn from_letter(letter: char) -> Result<Self, LhsoError> {
        match letter.to_ascii_uppercase() {
            l @ 'A'..='D' => Ok(Behaviour(l as u8 - b'A')),
            _ => Err(LhsoError::BehaviourOutOfRange(letter.to_string())),
        }
    }

    pub fn letter(self) -> char {
        char::from(b'A' + self.0)
    }

    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    pub fn from_index(index: usize) -> Option<Self> {
        Behaviour::ALL.get(index).copied()
    }

    pub fn next(self) -> Option<Self> {
        Behaviour::from_index(self.index() + 1)
    }
}

impl fmt::Display for Behaviour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.letter())
    }
}

impl FromStr for Behaviour {
    type Err = LhsoError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut chars = s.trim().chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Behaviour::from_letter(c),
            _ => Err(LhsoError::BehaviourOutOfRange(s.to_owned())),
        }
    }
}

impl Serialize for Behaviour {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Behaviour {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// A cell of the matrix, written as behaviour letter plus consequence digit (`B3`), as ILT does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LhsoCell {
    pub behaviour: Behaviour,
    pub consequence: Consequence,
}

impl LhsoCell {
    pub fn new(consequence: Consequence, behaviour: Behaviour) -> Self {
        LhsoCell {
            behaviour,
            consequence,
        }
    }

    /// All 16 cells, A1 A2 .. D4.
    pub fn all() -> impl Iterator<Item = LhsoCell> {
        Behaviour::ALL.into_iter().flat_map(|b| {
            Consequence::ALL
                .into_iter()
                .map(move |c| LhsoCell::new(c, b))
        })
    }

    /// Componentwise order: `self` is at least as grave as `other` on both axes.
    pub fn dominates(self, other: LhsoCell) -> bool {
        self.consequence >= other.consequence && self.behaviour >= other.behaviour
    }

    /// A total order for "the heaviest violation" of an inspection, independent of any matrix
    /// version so counts stay comparable across years: distance from A1 first, then consequence
    /// (placement starts with the consequences), then behaviour.
    pub fn gravity_key(self) -> (usize, Consequence, Behaviour) {
        (
            self.consequence.index() + self.behaviour.index(),
            self.consequence,
            self.behaviour,
        )
    }
}

impl fmt::Display for LhsoCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.behaviour, self.consequence)
    }
}

impl FromStr for LhsoCell {
    type Err = LhsoError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || LhsoError::InvalidCell(s.to_owned());
        let mut chars = s.trim().chars();
        let (Some(letter), Some(digit), None) = (chars.next(), chars.next(), chars.next()) else {
            return Err(invalid());
        };
        let behaviour = Behaviour::from_letter(letter).map_err(|_| invalid())?;
        let consequence = digit
            .to_digit(10)
            .ok_or_else(invalid)
            .and_then(|d| Consequence::new(i64::from(d)).map_err(|_| invalid()))?;
        Ok(LhsoCell::new(consequence, behaviour))
    }
}

impl Serialize for LhsoCell {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for LhsoCell {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_code_round_trips_through_its_string_form() {
        for cell in LhsoCell::all() {
            let text = cell.to_string();
            assert_eq!(text.parse::<LhsoCell>().unwrap(), cell);
            let json = serde_json::to_string(&cell).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<LhsoCell>(&json).unwrap(), cell);
        }
        assert_eq!(LhsoCell::all().count(), 16);
    }

    #[test]
    fn a_lower_case_cell_code_is_accepted() {
        assert_eq!("b3".parse::<LhsoCell>().unwrap().to_string(), "B3");
    }

    #[test]
    fn codes_off_the_grid_are_refused() {
        for bad in ["", "A", "A0", "A5", "E1", "3B", "B33", "B-"] {
            assert!(
                matches!(bad.parse::<LhsoCell>(), Err(LhsoError::InvalidCell(_))),
                "{bad}"
            );
        }
        assert!(Consequence::new(0).is_err());
        assert!(Consequence::new(5).is_err());
        assert!("E".parse::<Behaviour>().is_err());
        assert!("AB".parse::<Behaviour>().is_err());
    }

    #[test]
    fn axes_serialise_as_a_digit_and_a_letter() {
        let c = Consequence::new(3).unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "3");
        assert_eq!(serde_json::from_str::<Consequence>("\"3\"").unwrap(), c);
        assert!(serde_json::from_str::<Consequence>("7").is_err());
        assert_eq!(serde_json::to_string(&Behaviour::ALL[1]).unwrap(), "\"B\"");
    }

    #[test]
    fn the_heaviest_cell_is_found_by_its_gravity_key() {
        let heaviest = ["A4", "C2", "B3", "D1"]
            .iter()
            .map(|c| c.parse::<LhsoCell>().unwrap())
            .max_by_key(|c| c.gravity_key())
            .unwrap();
        assert_eq!(heaviest.to_string(), "A4");
    }
}
