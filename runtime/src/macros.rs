//! Impl blocks that generated crates invoke instead of spelling out.
//!
//! Every structure, union, string enum and operation error of a generated
//! crate needs the same handful of trait impls, differing only in names. The
//! generator writes the type definitions (with their docs) itself and one
//! short invocation of these macros for the impls, so the generator builds,
//! parses and formats a fraction of the tokens and the checked-in crates stay
//! small. Paths inside are absolute (`$crate`, `::core`, `::std`) because a
//! generated crate may define types named `Option`, `String` or `Result`.
//!
//! The macros are part of the contract with generated code (see
//! ARCHITECTURE.md), not an API for hand-written code.

/// `Blank` and `Struct` for a generated structure: member `i` is the field
/// listed with index `i` (the model's member order, as in the shape's
/// static). Every field must be listed: `blank` names them all.
///
/// `impl_struct!(Type, path::TO_STATIC, { 0 => field_a, 1 => field_b })`
#[macro_export]
#[doc(hidden)]
macro_rules! impl_struct {
    ($ty:ty, $shape:path, {}) => {
        impl $crate::Blank for $ty {
            #[inline]
            fn blank() -> Self {
                Self {}
            }
        }
        impl $crate::Struct for $ty {
            fn shape(&self) -> &'static $crate::schema::Shape {
                &$shape
            }
            fn member(&self, _i: usize) -> ::core::option::Option<&dyn $crate::Value> {
                ::core::option::Option::None
            }
            fn member_mut(&mut self, _i: usize) -> ::core::option::Option<&mut dyn $crate::Value> {
                ::core::option::Option::None
            }
        }
    };
    ($ty:ty, $shape:path, { $($i:literal => $field:ident),+ $(,)? }) => {
        impl $crate::Blank for $ty {
            fn blank() -> Self {
                Self { $($field: $crate::Blank::blank(),)+ }
            }
        }
        impl $crate::Struct for $ty {
            fn shape(&self) -> &'static $crate::schema::Shape {
                &$shape
            }
            fn member(&self, i: usize) -> ::core::option::Option<&dyn $crate::Value> {
                ::core::option::Option::Some(match i {
                    $($i => &self.$field,)+
                    _ => return ::core::option::Option::None,
                })
            }
            fn member_mut(&mut self, i: usize) -> ::core::option::Option<&mut dyn $crate::Value> {
                ::core::option::Option::Some(match i {
                    $($i => &mut self.$field,)+
                    _ => return ::core::option::Option::None,
                })
            }
        }
    };
}

/// `Blank` and `Struct` for a generated union, an enum whose variants hold
/// one member each plus `Unknown(String)` (the name of a member this model
/// does not know, or empty when no member is set). `member(i)` is `Some`
/// only for the active variant; `member_mut(i)` switches to variant `i`
/// (keeping its value if it is already active).
///
/// `impl_union!(Type, path::TO_STATIC, { 0 => VariantA, 1 => VariantB })`
#[macro_export]
#[doc(hidden)]
macro_rules! impl_union {
    ($ty:ty, $shape:path, { $($i:literal => $variant:ident),* $(,)? }) => {
        impl $crate::Blank for $ty {
            #[inline]
            fn blank() -> Self {
                Self::Unknown(::std::string::String::new())
            }
        }
        impl $crate::Struct for $ty {
            fn shape(&self) -> &'static $crate::schema::Shape {
                &$shape
            }
            fn member(&self, i: usize) -> ::core::option::Option<&dyn $crate::Value> {
                match (i, self) {
                    $(($i, Self::$variant(v)) => ::core::option::Option::Some(v),)*
                    _ => ::core::option::Option::None,
                }
            }
            fn member_mut(&mut self, i: usize) -> ::core::option::Option<&mut dyn $crate::Value> {
                match i {
                    $($i => {
                        if !::core::matches!(self, Self::$variant(_)) {
                            *self = Self::$variant($crate::Blank::blank());
                        }
                        match self {
                            Self::$variant(v) => ::core::option::Option::Some(v),
                            _ => ::core::option::Option::None,
                        }
                    })*
                    _ => ::core::option::Option::None,
                }
            }
            fn set_unknown_variant(&mut self, name: &str) {
                *self = Self::Unknown(::std::borrow::ToOwned::to_owned(name));
            }
            fn unknown_variant(&self) -> ::core::option::Option<&str> {
                match self {
                    Self::Unknown(name) if !name.is_empty() => ::core::option::Option::Some(name),
                    _ => ::core::option::Option::None,
                }
            }
        }
    };
}

/// The impls of a generated string enum: an enum of unit variants plus
/// `Unknown(String)`. Gives `VALUES`, `as_str`, `Blank` (an empty unknown
/// value, which validation reports as not in the enum), `From<&str>`,
/// `From<String>`, `String: From<Type>`, `FromStr`, `Display` and `Value`.
/// No `Default`: there is no meaningful default value of an enum.
///
/// Inside the impls, `Self::` is followed only by a variant the generator
/// named or by `Unknown` (which it never gives a model value); associated
/// items are spelled with their trait (`Infallible`, not `Self::Err`), so a
/// variant named `Err`, `Ok` or `Output` cannot make a path ambiguous.
///
/// `string_enum_impls!(Type { VariantA = "A", VariantB = "B" })`
#[macro_export]
#[doc(hidden)]
macro_rules! string_enum_impls {
    ($ty:ident { $($variant:ident = $value:literal),* $(,)? }) => {
        impl $ty {
            /// Every value the model defines.
            pub const VALUES: &[&str] = &[$($value),*];
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(v) => v,
                }
            }
        }
        impl $crate::Blank for $ty {
            #[inline]
            fn blank() -> Self {
                Self::Unknown(::std::string::String::new())
            }
        }
        impl ::core::convert::From<&str> for $ty {
            fn from(v: &str) -> Self {
                match v {
                    $($value => Self::$variant,)*
                    other => Self::Unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }
        impl ::core::convert::From<::std::string::String> for $ty {
            #[inline]
            fn from(v: ::std::string::String) -> Self {
                match Self::from(v.as_str()) {
                    Self::Unknown(_) => Self::Unknown(v),
                    known => known,
                }
            }
        }
        impl ::core::convert::From<$ty> for ::std::string::String {
            #[inline]
            fn from(v: $ty) -> Self {
                match v {
                    $ty::Unknown(s) => s,
                    known => ::std::borrow::ToOwned::to_owned(known.as_str()),
                }
            }
        }
        impl ::core::str::FromStr for $ty {
            type Err = ::core::convert::Infallible;
            #[inline]
            fn from_str(v: &str) -> ::core::result::Result<Self, ::core::convert::Infallible> {
                ::core::result::Result::Ok(Self::from(v))
            }
        }
        impl ::core::fmt::Display for $ty {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl $crate::Value for $ty {
            fn get(&self) -> $crate::ValueRef<'_> {
                $crate::ValueRef::Str(self.as_str())
            }
            fn get_mut(&mut self) -> $crate::ValueMut<'_> {
                $crate::ValueMut::Enum(self)
            }
        }
        impl $crate::value::StringEnum for $ty {
            fn set_str(&mut self, v: &str) {
                *self = Self::from(v);
            }
            fn set_string(&mut self, v: ::std::string::String) {
                *self = Self::from(v);
            }
        }
    };
}

/// The impls of a generated error structure: like [`impl_struct!`] (member
/// `i` is the field listed with index `i`), plus its `meta` field
/// (`ErrorMetadata`, filled by the parser, blank otherwise), and
/// `ProvideErrorMetadata`, `ErrorShape`, `Display` (`Code: message`, the
/// message from a message member or else from the metadata) and
/// `std::error::Error`.
///
/// `impl_error!(Type, path::TO_STATIC, { 0 => field_a, 1 => field_b })`
#[macro_export]
#[doc(hidden)]
macro_rules! impl_error {
    ($ty:ty, $shape:path, {}) => {
        impl $crate::Blank for $ty {
            #[inline]
            fn blank() -> Self {
                Self { meta: $crate::Blank::blank() }
            }
        }
        impl $crate::Struct for $ty {
            fn shape(&self) -> &'static $crate::schema::Shape {
                &$shape
            }
            fn member(&self, _i: usize) -> ::core::option::Option<&dyn $crate::Value> {
                ::core::option::Option::None
            }
            fn member_mut(&mut self, _i: usize) -> ::core::option::Option<&mut dyn $crate::Value> {
                ::core::option::Option::None
            }
        }
        $crate::impl_error!(@error $ty);
    };
    ($ty:ty, $shape:path, { $($i:literal => $field:ident),+ $(,)? }) => {
        impl $crate::Blank for $ty {
            fn blank() -> Self {
                Self { $($field: $crate::Blank::blank(),)+ meta: $crate::Blank::blank() }
            }
        }
        impl $crate::Struct for $ty {
            fn shape(&self) -> &'static $crate::schema::Shape {
                &$shape
            }
            fn member(&self, i: usize) -> ::core::option::Option<&dyn $crate::Value> {
                ::core::option::Option::Some(match i {
                    $($i => &self.$field,)+
                    _ => return ::core::option::Option::None,
                })
            }
            fn member_mut(&mut self, i: usize) -> ::core::option::Option<&mut dyn $crate::Value> {
                ::core::option::Option::Some(match i {
                    $($i => &mut self.$field,)+
                    _ => return ::core::option::Option::None,
                })
            }
        }
        $crate::impl_error!(@error $ty);
    };
    (@error $ty:ty) => {
        impl $crate::ProvideErrorMetadata for $ty {
            #[inline]
            fn meta(&self) -> &$crate::ErrorMetadata {
                &self.meta
            }
        }
        impl $crate::ErrorShape for $ty {
            fn error_meta(&self) -> &$crate::ErrorMetadata {
                &self.meta
            }
            fn meta_mut(&mut self) -> &mut $crate::ErrorMetadata {
                &mut self.meta
            }
        }
        impl ::core::fmt::Display for $ty {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                $crate::error::fmt_modeled_error(self, f)
            }
        }
        impl ::std::error::Error for $ty {}
    };
}

/// The impls of an operation's error enum: one variant per error the
/// operation lists (index `i` is the error's position in
/// `Operation::errors`), then `Unlisted(Box<ServiceErrorType>)`,
/// `Unmodeled(UnmodeledError)` and `Sdk(SdkError)`. Each listed variant is
/// paired with its variant in the crate-level error enum. Gives
/// `OperationError`, `ProvideErrorMetadata`, `Display` (the inner error's),
/// `std::error::Error` (with the inner error as `source`) and
/// `From<OpError>` for the crate-level enum.
///
/// `operation_error_impls!(OpError, crate::operations::Error, { 0 => NotFound => NotFound })`
#[macro_export]
#[doc(hidden)]
macro_rules! operation_error_impls {
    ($ty:ident, $service:ty, { $($i:literal => $variant:ident => $service_variant:ident),* $(,)? }) => {
        impl $crate::OperationError for $ty {
            #[inline]
            fn modeled(index: usize) -> ::core::option::Option<Self> {
                match index {
                    $($i => ::core::option::Option::Some(Self::$variant($crate::Blank::blank())),)*
                    _ => ::core::option::Option::None,
                }
            }
            #[inline]
            fn unlisted(index: usize) -> ::core::option::Option<Self> {
                ::core::option::Option::map(
                    <$service as $crate::ServiceError>::modeled(index),
                    |e| Self::Unlisted(::std::boxed::Box::new(e)),
                )
            }
            #[inline]
            fn modeled_mut(&mut self) -> ::core::option::Option<&mut dyn $crate::ErrorShape> {
                match self {
                    $(Self::$variant(e) => ::core::option::Option::Some(e),)*
                    Self::Unlisted(e) => $crate::ServiceError::modeled_mut(&mut **e),
                    _ => ::core::option::Option::None,
                }
            }
            #[inline]
            fn sdk(error: $crate::SdkError) -> Self {
                Self::Sdk(error)
            }
            #[inline]
            fn unmodeled(error: $crate::UnmodeledError) -> Self {
                Self::Unmodeled(error)
            }
        }
        impl $crate::ProvideErrorMetadata for $ty {
            #[inline]
            fn meta(&self) -> &$crate::ErrorMetadata {
                match self {
                    $(Self::$variant(e) => $crate::ProvideErrorMetadata::meta(e),)*
                    Self::Unlisted(e) => $crate::ProvideErrorMetadata::meta(&**e),
                    Self::Unmodeled(e) => $crate::ProvideErrorMetadata::meta(e),
                    Self::Sdk(e) => $crate::ProvideErrorMetadata::meta(e),
                }
            }
        }
        impl ::core::fmt::Display for $ty {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self {
                    $(Self::$variant(e) => ::core::fmt::Display::fmt(e, f),)*
                    Self::Unlisted(e) => ::core::fmt::Display::fmt(&**e, f),
                    Self::Unmodeled(e) => ::core::fmt::Display::fmt(e, f),
                    Self::Sdk(e) => ::core::fmt::Display::fmt(e, f),
                }
            }
        }
        impl ::std::error::Error for $ty {
            #[inline]
            fn source(&self) -> ::core::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    $(Self::$variant(e) => ::core::option::Option::Some(e),)*
                    Self::Unlisted(e) => ::core::option::Option::Some(&**e),
                    Self::Unmodeled(e) => ::core::option::Option::Some(e),
                    Self::Sdk(e) => ::core::option::Option::Some(e),
                }
            }
        }
        impl ::core::convert::From<$ty> for $service {
            #[inline]
            fn from(e: $ty) -> Self {
                match e {
                    $($ty::$variant(e) => Self::$service_variant(e),)*
                    $ty::Unlisted(e) => *e,
                    $ty::Unmodeled(e) => Self::Unmodeled(e),
                    $ty::Sdk(e) => Self::Sdk(e),
                }
            }
        }
    };
}

/// The impls of a generated crate's `Error` enum: one variant per error
/// shape of the service (index `i` is the shape's position in
/// `Service::errors`), then `Unmodeled(UnmodeledError)` and
/// `Sdk(SdkError)`. Gives `ServiceError`, `ProvideErrorMetadata`,
/// `Display` and `std::error::Error` (with the inner error as `source`).
///
/// `service_error_impls!(Error { 0 => NotFound, 1 => Throttled })`
#[macro_export]
#[doc(hidden)]
macro_rules! service_error_impls {
    ($ty:ident { $($i:literal => $variant:ident),* $(,)? }) => {
        impl $crate::ServiceError for $ty {
            fn modeled(index: usize) -> ::core::option::Option<Self> {
                match index {
                    $($i => ::core::option::Option::Some(Self::$variant($crate::Blank::blank())),)*
                    _ => ::core::option::Option::None,
                }
            }
            fn modeled_mut(&mut self) -> ::core::option::Option<&mut dyn $crate::ErrorShape> {
                match self {
                    $(Self::$variant(e) => ::core::option::Option::Some(e),)*
                    _ => ::core::option::Option::None,
                }
            }
        }
        impl $crate::ProvideErrorMetadata for $ty {
            #[inline]
            fn meta(&self) -> &$crate::ErrorMetadata {
                match self {
                    $(Self::$variant(e) => $crate::ProvideErrorMetadata::meta(e),)*
                    Self::Unmodeled(e) => $crate::ProvideErrorMetadata::meta(e),
                    Self::Sdk(e) => $crate::ProvideErrorMetadata::meta(e),
                }
            }
        }
        impl ::core::fmt::Display for $ty {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self {
                    $(Self::$variant(e) => ::core::fmt::Display::fmt(e, f),)*
                    Self::Unmodeled(e) => ::core::fmt::Display::fmt(e, f),
                    Self::Sdk(e) => ::core::fmt::Display::fmt(e, f),
                }
            }
        }
        impl ::std::error::Error for $ty {
            #[inline]
            fn source(&self) -> ::core::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    $(Self::$variant(e) => ::core::option::Option::Some(e),)*
                    Self::Unmodeled(e) => ::core::option::Option::Some(e),
                    Self::Sdk(e) => ::core::option::Option::Some(e),
                }
            }
        }
    };
}
