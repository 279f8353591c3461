//! Wire enums: one table per enum gives its variants, their wire names, `ALL`, `as_str`, `parse`
//! and serde (as the wire string), so no list of names is kept by hand twice.
//!
//! ```
//! shared::wire_enum! {
//!     /// A traffic light.
//!     pub enum Light { Red = "red", Green = "green" }
//! }
//! assert_eq!(Light::parse("red"), Some(Light::Red));
//! assert_eq!(Light::ALL.len(), 2);
//! ```
//!
//! With `fallback Other` the enum gets a variant `Other(String)` that keeps a name this build
//! does not know (a newer app talking to an older server, or the reverse): reading never fails on
//! it, and it is written back verbatim.

#[macro_export]
macro_rules! wire_enum {
    // Display and Serialize as the wire name, for both forms.
    (@as_string $name:ident) => {
        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire),+
                }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $($wire => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        $crate::wire_enum!(@as_string $name);

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                $name::parse(&s).ok_or_else(|| {
                    <D::Error as ::serde::de::Error>::unknown_variant(&s, &[$($wire),+])
                })
            }
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)?
        }
        fallback $other:ident
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A name this build does not know, kept verbatim.
            $other(String),
        }

        impl $name {
            /// Every known variant, in declaration order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The wire name.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)+
                    $name::$other(s) => s,
                }
            }

            /// Never fails: an unknown name becomes the fallback variant.
            pub fn parse(s: &str) -> $name {
                match s {
                    $($wire => $name::$variant,)+
                    other => $name::$other(other.to_owned()),
                }
            }

            /// False for the fallback variant.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::$other(_))
            }
        }

        $crate::wire_enum!(@as_string $name);

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                Ok($name::parse(&s))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::wire_enum! {
        enum Light { Red = "red", Green = "green" }
    }
    crate::wire_enum! {
        enum Kind { A = "a.x", B = "b.y" }
        fallback Other
    }

    #[test]
    fn names_round_trip_through_serde() {
        for light in Light::ALL {
            let json = serde_json::to_string(light).unwrap();
            assert_eq!(json, format!("\"{}\"", light.as_str()));
            assert_eq!(serde_json::from_str::<Light>(&json).unwrap(), *light);
        }
        assert!(serde_json::from_str::<Light>("\"blue\"").is_err());
    }

    #[test]
    fn an_unknown_name_is_kept_by_the_fallback() {
        let kind: Kind = serde_json::from_str("\"c.z\"").unwrap();
        assert_eq!(kind, Kind::Other("c.z".into()));
        assert!(!kind.is_known());
        assert_eq!(serde_json::to_string(&kind).unwrap(), "\"c.z\"");
        assert_eq!(Kind::parse("a.x"), Kind::A);
        assert_eq!(Kind::KNOWN.len(), 2);
    }
}
