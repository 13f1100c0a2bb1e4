//! Beacon's domain: the vocabulary and the rules of a council's performance framework.
//!
//! Everything here is pure: no IO, no clock, no async. Types parse their text forms through one
//! fallible constructor ("parse, don't validate"), so a value that exists is valid.

pub mod budget;
pub mod calendar;
pub mod council;
pub mod dates;
pub mod equality;
pub mod frame;
pub mod indicator;
pub mod library;
pub mod measure;
pub mod money;
pub mod objective;
pub mod organisation;
pub mod period;
pub mod plan;
pub mod quarter;
pub mod refs;
pub mod risk;
pub mod status;
pub mod text;

pub use refs::Ref;

/// The error for any text that does not parse as the domain value it should be.
/// `expected` says, in words a person understands, what would have been accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{found:?} is not {expected}")]
pub struct ParseError {
    pub found: String,
    pub expected: String,
}

impl ParseError {
    pub fn new(found: impl Into<String>, expected: impl Into<String>) -> Self {
        Self {
            found: found.into(),
            expected: expected.into(),
        }
    }
}

/// Declares a closed list of words as an enum that parses from and prints as those words,
/// so every choice in a plan file has one spelling, one error message and one list of options.
#[macro_export]
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every choice, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The word used in files, the database and the JSON output.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }
            /// The accepted words, for messages.
            pub fn choices() -> String {
                [$($word),+].join(" | ")
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::ParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim() {
                    $($word => Ok($name::$variant),)+
                    other => Err($crate::ParseError::new(other, format!("one of {}", $name::choices()))),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }

        $crate::text_schema!($name, "One of these words", [$($word),+]);
    };
}

/// Implements serde for a type through its `FromStr` and `Display`, so files, the database and
/// JSON all use the one text form the type defines.
#[macro_export]
macro_rules! serde_via_str {
    ($name:ty) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }

        $crate::text_schema!($name, "Text in the form this field's type writes", []);
    };
}

/// `utoipa`, for [`text_schema!`] expanded in other crates.
#[cfg(feature = "openapi")]
#[doc(hidden)]
pub use utoipa as __utoipa;

/// The OpenAPI schema of a type written as text (a closed list of words, or a form its
/// `FromStr` reads), for the JSON API's description. Expands to nothing without the `openapi`
/// feature.
#[cfg(feature = "openapi")]
#[macro_export]
#[doc(hidden)]
macro_rules! text_schema {
    ($name:ty, $description:expr, [$($word:literal),*]) => {
        impl $crate::__utoipa::PartialSchema for $name {
            fn schema() -> $crate::__utoipa::openapi::RefOr<$crate::__utoipa::openapi::schema::Schema> {
                let words: &[&str] = &[$($word),*];
                let mut b = $crate::__utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type($crate::__utoipa::openapi::schema::Type::String)
                    .description(Some($description));
                if !words.is_empty() {
                    b = b.enum_values(Some(words.iter().copied()));
                }
                b.into()
            }
        }
        impl $crate::__utoipa::ToSchema for $name {}
    };
}

/// Without the `openapi` feature, no schema.
#[cfg(not(feature = "openapi"))]
#[macro_export]
#[doc(hidden)]
macro_rules! text_schema {
    ($($t:tt)*) => {};
}
