//! [`model!`](crate::model): the code every generated struct repeats, written once.
//!
//! A generated model file holds what is particular to one struct — its documentation, its
//! members with their types and wire names, the feature that gates it and the rules it checks —
//! as one `model!` invocation; the macro writes the struct, its builder and setters, `build()`,
//! the list accessors, [`WireValue`](crate::wire::WireValue) and, with the generated crate's
//! `serde` feature, serde's traits.

/// Writes a generated struct and everything around it.
///
/// ```
/// tencentcloud_runtime::model! {
///     /// A zone, for this example.
///     pub struct Zone / ZoneBuilder {
///         /// The zone's id.
///         req zone_id: String = "ZoneId",
///         /// Its name.
///         opt name: String = "ZoneName",
///         /// Its tags.
///         list tags: String = "Tags",
///     }
/// }
///
/// use tencentcloud_runtime::wire::{self, Decoding};
/// let zone: Zone = wire::from_str(r#"{"ZoneId": "zone-1", "Extra": 1}"#, Decoding::Tolerant).unwrap();
/// assert_eq!(zone.zone_id, "zone-1");
/// assert!(zone.tags().is_empty());
/// let err = Zone::builder().name("a").build().unwrap_err();
/// assert_eq!(err.to_string(), "invalid Zone: ZoneId: is required but was not set");
/// let err = wire::from_str::<Zone>(r#"{"ZoneName": "a"}"#, Decoding::Tolerant).unwrap_err();
/// assert_eq!(err.to_string(), "Zone: missing field ZoneId");
/// ```
///
/// Each member is `kind name: Type = "WireName"`: `req` (always present), `opt` (an `Option`)
/// or `list` (an optional `Vec` of `Type`, with an accessor that reads a missing list as
/// empty). A list of a [`string_enum!`](crate::string_enum) is `req_enums` or `opt_enums`
/// (`Type` is the `Vec`) or `list_enums` (`Type` is the enum): the same, except that its setter
/// takes any iterable of values that convert into the enum (`["A", "TXT"]`), as the setter of a
/// single enum takes anything that converts into it (`"TXT"`). `[gate]` after the builder's name, when present, is a `cfg` predicate that every item
/// gets (and docs.rs shows); a trailing `validate(self, checker) { .. }` block is the struct's
/// [`Validate`](crate::Validate) body.
#[macro_export]
macro_rules! model {
    (
        $(#[$meta:meta])*
        pub struct $ty:ident / $builder:ident [$gate:meta] {
            $(
                $(#[$fmeta:meta])*
                $kind:ident $name:ident : $fty:ty = $wire:literal
            ),* $(,)?
        }
        $(validate($self:ident, $checker:ident) $body:block)?
    ) => {
        $crate::__model_struct! {
            $(#[$meta])*
            pub struct $ty / $builder [$gate] {
                $($(#[$fmeta])* $kind $name : $fty = $wire,)*
            }
            $(validate($self, $checker) $body)?
        }

        #[doc = concat!("A builder for [`", stringify!($ty), "`].")]
        #[cfg($gate)]
        #[cfg_attr(docsrs, doc(cfg($gate)))]
        #[derive(Clone, Debug, Default)]
        pub struct $builder {
            $(pub(crate) $name: ::core::option::Option<$crate::__stored_type!($kind $fty)>,)*
        }

        #[cfg($gate)]
        impl $builder {
            $($crate::__setter!($ty $kind $name $fty, $wire);)*
            $crate::__build!($ty { $($kind $name $wire),* });
        }
    };
    // A request: its builder also serves as the action's fluent builder, so it carries what
    // sends it (`H`: the client's handle; `()` for a builder made with `builder()`), and each
    // member also has a `set_*` setter taking an `Option`.
    (
        $(#[$meta:meta])*
        pub struct $ty:ident / $builder:ident [$gate:meta] request {
            $(
                $(#[$fmeta:meta])*
                $kind:ident $name:ident / $set:ident : $fty:ty = $wire:literal
            ),* $(,)?
        }
        $(validate($self:ident, $checker:ident) $body:block)?
    ) => {
        $crate::__model_struct! {
            $(#[$meta])*
            pub struct $ty / $builder [$gate] {
                $($(#[$fmeta])* $kind $name : $fty = $wire,)*
            }
            $(validate($self, $checker) $body)?
        }

        #[doc = concat!("A builder for [`", stringify!($ty), "`]; with a client's handle, the action's fluent builder.")]
        #[cfg($gate)]
        #[cfg_attr(docsrs, doc(cfg($gate)))]
        #[derive(Clone, Debug, Default)]
        pub struct $builder<H = ()> {
            pub(crate) handle: H,
            // A request has no `list` or `list_enums` members (their accessors are for answers),
            // so what the builder holds is the member's type as written; `derive` cannot see
            // through a macro.
            $(pub(crate) $name: ::core::option::Option<$fty>,)*
        }

        #[cfg($gate)]
        impl<H> $builder<H> {
            $(
                $crate::__setter!($ty $kind $name $fty, $wire);

                #[doc = concat!("Sets or clears [`", stringify!($ty), "::", stringify!($name), "`] (`", $wire, "`).")]
                pub fn $set(mut self, value: ::core::option::Option<$crate::__stored_type!($kind $fty)>) -> Self {
                    self.$name = value;
                    self
                }
            )*
            $crate::__build!($ty { $($kind $name $wire),* });

            /// The same request, sent through `handle`.
            #[inline]
            #[allow(dead_code)]
            pub(crate) fn with_handle<T>(self, handle: T) -> $builder<T> {
                $builder { handle, $($name: self.$name,)* }
            }
        }

        #[cfg($gate)]
        impl<H: $crate::Customizable> $builder<H> {
            /// Changes settings for this call only: the attempt timeout, the deadline, the retry
            /// policy, the region, the language, extra headers; see
            /// [`Customize`](crate::runtime::Customize). The client's other calls keep its settings; a
            /// paginator or waiter made from this builder sends every request with them.
            ///
            /// ```text
            /// client.describe_zones()
            ///     .customize(|c| c.timeout(Duration::from_secs(3)).header("X-TC-TraceId", trace_id))
            ///     .send()
            ///     .await?;
            /// ```
            ///
            /// aws-sdk-rust's `customize()` returns a `CustomizableOperation` that ends in
            /// `send()`. Here the closure gives back this same builder, so setters, `send`,
            /// `into_paginator` and a waiter's `wait` stay available after it, and no type per
            /// action is needed. Settings are checked when the call is sent: a header the client
            /// writes itself ([`PROTECTED_HEADERS`](crate::runtime::customize::PROTECTED_HEADERS)) fails
            /// it with [`Error::Config`](crate::runtime::Error::Config) naming the header, before
            /// anything is sent. Calling `customize` again changes the settings given before.
            #[inline]
            pub fn customize(mut self, f: impl ::core::ops::FnOnce($crate::Customize) -> $crate::Customize) -> Self {
                $crate::Customizable::customize_calls(&mut self.handle, f);
                self
            }
        }
    };
    // Without a gate: compiled always.
    (
        $(#[$meta:meta])*
        pub struct $ty:ident / $builder:ident request { $($members:tt)* }
        $($rest:tt)*
    ) => {
        $crate::model! {
            $(#[$meta])*
            pub struct $ty / $builder [all()] request { $($members)* }
            $($rest)*
        }
    };
    (
        $(#[$meta:meta])*
        pub struct $ty:ident / $builder:ident { $($members:tt)* }
        $($rest:tt)*
    ) => {
        $crate::model! {
            $(#[$meta])*
            pub struct $ty / $builder [all()] { $($members)* }
            $($rest)*
        }
    };
}

/// What models and requests share: the struct, `builder()`, the list accessors, the wire format,
/// serde's traits (with the generated crate's `serde` feature) and `Validate`.
#[doc(hidden)]
#[macro_export]
macro_rules! __model_struct {
    (
        $(#[$meta:meta])*
        pub struct $ty:ident / $builder:ident [$gate:meta] {
            $($(#[$fmeta:meta])* $kind:ident $name:ident : $fty:ty = $wire:literal,)*
        }
        $(validate($self:ident, $checker:ident) $body:block)?
    ) => {
        $(#[$meta])*
        #[cfg($gate)]
        #[cfg_attr(docsrs, doc(cfg($gate)))]
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub struct $ty {
            $(
                $(#[$fmeta])*
                #[doc = ""]
                #[doc = concat!("Wire name: `", $wire, "`.")]
                pub $name: $crate::__member_type!($kind $fty),
            )*
        }

        #[cfg($gate)]
        impl $ty {
            #[doc = concat!("Starts a [`", stringify!($builder), "`].")]
            #[inline]
            pub fn builder() -> $builder {
                ::core::default::Default::default()
            }

            $($crate::__list_accessor!($kind $name $fty, $wire);)*
        }

        #[cfg($gate)]
        impl $crate::wire::WireValue for $ty {
            #[inline]
            #[allow(unused_mut)]
            fn to_wire(&self) -> $crate::wire::Value {
                let mut out = $crate::wire::ObjectWriter::new();
                $($crate::__put_member!($kind out $wire &self.$name);)*
                out.finish()
            }

            #[inline]
            #[allow(unused_mut, unused_variables)]
            fn from_wire(
                value: $crate::wire::Value,
                reader: &mut $crate::wire::Reader,
            ) -> ::core::option::Option<Self> {
                let mut members = reader.object(value, stringify!($ty))?;
                let mut builder = Self::builder();
                $(builder.$name = members.get(reader, $wire);)*
                reader.built(builder.build())
            }
        }

        $crate::__wire_serde!($ty [$gate]);

        $(
            #[cfg($gate)]
            impl $crate::Validate for $ty {
                #[inline]
                fn validate_into(&$self, $checker: &mut $crate::Checker) $body
            }
        )?
    };
}

/// A builder's setter of one member.
#[doc(hidden)]
#[macro_export]
macro_rules! __setter {
    (@list_enums $ty:ident $name:ident $fty:ty, $wire:literal) => {
        #[doc = concat!("Sets [`", stringify!($ty), "::", stringify!($name), "`] (`", $wire, "`) from values that convert into [`", stringify!($fty), "`], such as string slices.")]
        pub fn $name(mut self, values: impl ::core::iter::IntoIterator<Item = impl ::core::convert::Into<$fty>>) -> Self {
            self.$name = ::core::option::Option::Some(values.into_iter().map(::core::convert::Into::into).collect());
            self
        }
    };
    ($ty:ident req_enums $name:ident $fty:ty, $wire:literal) => {
        $crate::__setter!(@enums $ty $name $fty, $wire);
    };
    ($ty:ident opt_enums $name:ident $fty:ty, $wire:literal) => {
        $crate::__setter!(@enums $ty $name $fty, $wire);
    };
    ($ty:ident list_enums $name:ident $fty:ty, $wire:literal) => {
        $crate::__setter!(@list_enums $ty $name $fty, $wire);
    };
    // `$fty` is the `Vec`: its items are the enum.
    (@enums $ty:ident $name:ident $fty:ty, $wire:literal) => {
        #[doc = concat!("Sets [`", stringify!($ty), "::", stringify!($name), "`] (`", $wire, "`) from values that convert into its items, such as string slices.")]
        pub fn $name(
            mut self,
            values: impl ::core::iter::IntoIterator<Item = impl ::core::convert::Into<<$fty as ::core::iter::IntoIterator>::Item>>,
        ) -> Self {
            self.$name = ::core::option::Option::Some(values.into_iter().map(::core::convert::Into::into).collect());
            self
        }
    };
    ($ty:ident $kind:ident $name:ident $fty:ty, $wire:literal) => {
        #[doc = concat!("Sets [`", stringify!($ty), "::", stringify!($name), "`] (`", $wire, "`).")]
pub fn $name(mut self, value: impl ::core::convert::Into<$crate::__stored_type!($kind $fty)>) -> Self {
            self.$name = ::core::option::Option::Some(value.into());
            self
        }
    };
}

/// A builder's `build()`: every missing required member is named, then the value is assembled.
#[doc(hidden)]
#[macro_export]
macro_rules! __build {
    ($ty:ident { $($kind:ident $name:ident $wire:literal),* }) => {
        /// Builds the value, or names every missing required member.
        #[inline]
        #[allow(unused_mut, irrefutable_let_patterns)]
        pub fn build(self) -> ::core::result::Result<$ty, $crate::ValidationError> {
            let mut missing = $crate::validation::Missing::new(stringify!($ty));
            $($crate::__check_required!($kind missing $wire self.$name);)*
            let ($($crate::__member_pattern!($kind $name),)*) = ($(self.$name,)*) else {
                return ::core::result::Result::Err(missing.into_error());
            };
            ::core::result::Result::Ok($ty { $($name,)* })
        }
    };
}

/// The type of a struct member of kind `req`, `opt` or `list`.
#[doc(hidden)]
#[macro_export]
macro_rules! __member_type {
    (req $t:ty) => { $t };
    (opt $t:ty) => { ::core::option::Option<$t> };
    (list $t:ty) => { ::core::option::Option<::std::vec::Vec<$t>> };
    (req_enums $t:ty) => { $t };
    (opt_enums $t:ty) => { ::core::option::Option<$t> };
    (list_enums $t:ty) => { ::core::option::Option<::std::vec::Vec<$t>> };
}

/// What a builder holds (inside its `Option`) and a setter takes for a member.
#[doc(hidden)]
#[macro_export]
macro_rules! __stored_type {
    (list $t:ty) => { ::std::vec::Vec<$t> };
    (list_enums $t:ty) => { ::std::vec::Vec<$t> };
    ($kind:ident $t:ty) => { $t };
}

/// `build()`'s check of a required member.
#[doc(hidden)]
#[macro_export]
macro_rules! __check_required {
    (req $missing:ident $wire:literal $value:expr) => {
        $missing.check($wire, $value.is_some())
    };
    (req_enums $missing:ident $wire:literal $value:expr) => {
        $missing.check($wire, $value.is_some())
    };
    ($kind:ident $missing:ident $wire:literal $value:expr) => {};
}

/// `build()`'s pattern for a member: a required one must be present (it was checked just before).
#[doc(hidden)]
#[macro_export]
macro_rules! __member_pattern {
    (req $name:ident) => {
        ::core::option::Option::Some($name)
    };
    (req_enums $name:ident) => {
        ::core::option::Option::Some($name)
    };
    ($kind:ident $name:ident) => {
        $name
    };
}

/// `to_wire`'s write of a member.
#[doc(hidden)]
#[macro_export]
macro_rules! __put_member {
    (req $out:ident $wire:literal $value:expr) => {
        $out.put($wire, $value)
    };
    (req_enums $out:ident $wire:literal $value:expr) => {
        $out.put($wire, $value)
    };
    ($kind:ident $out:ident $wire:literal $value:expr) => {
        $out.put_opt($wire, $value)
    };
}

/// The slice accessor of a `list` member: a list the service left out reads as empty.
#[doc(hidden)]
#[macro_export]
macro_rules! __list_accessor {
    (list_enums $name:ident $t:ty, $wire:literal) => {
        $crate::__list_accessor!(list $name $t, $wire);
    };
    (list $name:ident $t:ty, $wire:literal) => {
        #[doc = concat!("[`", stringify!($name), "`](Self#structfield.", stringify!($name), ") as a slice: empty when the service left `", $wire, "` out or sent `null`.")]
        #[inline]
        pub fn $name(&self) -> &[$t] {
            self.$name.as_deref().unwrap_or_default()
        }
    };
    ($kind:ident $name:ident $t:ty, $wire:literal) => {};
}

/// serde's `Serialize` and `Deserialize` through the type's [`WireValue`](crate::wire::WireValue),
/// compiled only with the invoking crate's `serde` feature: what [`model!`](crate::model) and
/// [`string_enum!`](crate::string_enum) both write.
#[doc(hidden)]
#[macro_export]
macro_rules! __wire_serde {
    ($ty:ident [$gate:meta]) => {
        #[cfg($gate)]
        #[cfg(feature = "serde")]
        impl $crate::wire::__serde::Serialize for $ty {
            fn serialize<S: $crate::wire::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::wire::serialize(self, serializer)
            }
        }

        #[cfg($gate)]
        #[cfg(feature = "serde")]
        impl<'de> $crate::wire::__serde::Deserialize<'de> for $ty {
            fn deserialize<D: $crate::wire::__serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::wire::deserialize(deserializer)
            }
        }
    };
}
