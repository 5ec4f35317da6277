//! Canonical row and column keys as types.
//!
//! A key is only ever made in the template data (`data.rs`): everything else
//! gets its keys from a [`TableSpec`](super::TableSpec) or by looking a
//! spelling up in the registry ([`RowKey::lookup`]), which fails for a key no
//! template declares. So a typo in a rule or a check is a failed lookup the
//! tests catch (`templates::tests::every_rule_names_declared_keys`), not a
//! rule that quietly finds no cell and becomes "not assessable".
//!
//! Keys serialize to the spellings of docs/TEMPLATE.md (`denied.state_secret`,
//! `natural_person`): the JSON and CSV contract does not change. They
//! deserialize through the registry, so a `Report` read back from
//! `reports.jsonl` holds the same keys it was written with.

use std::fmt;

use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize, Serializer};

macro_rules! key_type {
    ($(#[$doc:meta])* $name:ident, $what:literal, $find:path) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(&'static str);

        impl $name {
            /// Declares a key: only the template data does this.
            pub(super) const fn new(key: &'static str) -> Self {
                $name(key)
            }

            /// The key as docs/TEMPLATE.md spells it.
            pub fn as_str(self) -> &'static str {
                self.0
            }

            /// The key some template declares with this spelling.
            pub fn lookup(spelling: &str) -> Option<Self> {
                $find(spelling)
            }
        }

        /// The spelling, for string work (`split_once('.')` on a sub-row).
        impl std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let spelling = std::borrow::Cow::<'de, str>::deserialize(d)?;
                $find(&spelling).ok_or_else(|| {
                    D::Error::custom(format!(
                        "{} {spelling:?} is declared by no template",
                        $what
                    ))
                })
            }
        }
    };
}

key_type!(
    /// A canonical row key of one of the three tables (`new`,
    /// `denied.state_secret`, `review`); for table 四, a column group.
    RowKey,
    "row key",
    super::find_row_key
);

key_type!(
    /// A canonical column key (`natural_person`, `total`, `issued`).
    ColumnKey,
    "column key",
    super::find_column_key
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_their_spelling() {
        let row = RowKey::lookup("denied.state_secret").expect("declared");
        let json = serde_json::to_string(&row).unwrap();
        assert_eq!(json, "\"denied.state_secret\"");
        assert_eq!(serde_json::from_str::<RowKey>(&json).unwrap(), row);
        let column: ColumnKey = serde_json::from_str("\"natural_person\"").unwrap();
        assert_eq!(column, "natural_person");
    }

    #[test]
    fn an_undeclared_key_is_refused_not_invented() {
        assert!(RowKey::lookup("denied.state_secrets").is_none());
        let err = serde_json::from_str::<ColumnKey>("\"totl\"").unwrap_err();
        assert!(err.to_string().contains("declared by no template"), "{err}");
    }
}
