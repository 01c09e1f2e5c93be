//! The error of one action: the service's answer, classified by its code.
//!
//! Each generated action has a fieldless enum of the codes its spec documents, written by
//! [`error_kind!`](crate::error_kind), plus `Common` (an API 3.0 common code) and `Unhandled`
//! (any other code). Its error type is [`CodedError`] of that enum: the kind, to match on, and the
//! whole [`ServiceError`], for the code, message and request id. What every action's error has
//! (the accessors, `Display`, `Error`) is written once, here.

use std::fmt;

use crate::error::{ActionError, ServiceError};

/// The codes one action documents: a fieldless enum generated per action.
pub trait ErrorKind: Copy + fmt::Debug + PartialEq + Send + Sync + 'static {
    /// The kind of `code`: its variant, `Common` for a common code, `Unhandled` for any other.
    fn from_code(code: &str) -> Self;
}

/// Why an action failed, when the service answered with an error: which of the action's
/// documented codes it is ([`kind`](Self::kind)) and the answer itself.
///
/// ```
/// use tencentcloud_runtime::{ActionError, CodedError, ErrorKind, ServiceError};
///
/// #[derive(Clone, Copy, Debug, PartialEq)]
/// enum PingErrorKind { Busy, Unhandled }
///
/// impl ErrorKind for PingErrorKind {
///     fn from_code(code: &str) -> Self {
///         if code == "ResourceBusy" { PingErrorKind::Busy } else { PingErrorKind::Unhandled }
///     }
/// }
///
/// let e = CodedError::<PingErrorKind>::from_service_error(ServiceError::new("ResourceBusy", "try later", "req-1"));
/// assert_eq!(e.kind(), PingErrorKind::Busy);
/// assert_eq!((e.code(), e.message(), e.request_id()), ("ResourceBusy", "try later", "req-1"));
/// assert_eq!(e.to_string(), "ResourceBusy: try later (request id req-1)");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CodedError<K> {
    kind: K,
    error: ServiceError,
}

impl<K: ErrorKind> CodedError<K> {
    /// Which documented code this is, to match on.
    pub fn kind(&self) -> K {
        self.kind
    }

    /// The error code, verbatim and whole.
    pub fn code(&self) -> &str {
        self.error.code()
    }

    /// The message the service gave, whole (`Display` and `Debug` show it cut to a bounded
    /// length, as [`ServiceError`] does).
    pub fn message(&self) -> &str {
        self.error.message()
    }

    /// The request id, whole, for Tencent Cloud support.
    pub fn request_id(&self) -> &str {
        self.error.request_id()
    }

    /// The answer as the service gave it.
    pub fn service_error(&self) -> &ServiceError {
        &self.error
    }

    /// The answer, giving up the classification.
    pub fn into_service_error(self) -> ServiceError {
        self.error
    }
}

impl<K: ErrorKind> fmt::Display for CodedError<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl<K: ErrorKind> std::error::Error for CodedError<K> {}

impl<K: ErrorKind> ActionError for CodedError<K> {
    fn from_service_error(error: ServiceError) -> Self {
        CodedError {
            kind: K::from_code(error.code()),
            error,
        }
    }

    fn service_error(&self) -> &ServiceError {
        &self.error
    }
}

/// Writes one action's error kind enum and its error type.
///
/// ```
/// mod errors {
///     #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
///     pub enum CommonErrorKind { InternalError }
///     impl CommonErrorKind {
///         pub fn from_code(code: &str) -> Option<Self> {
///             (code == "InternalError").then_some(CommonErrorKind::InternalError)
///         }
///     }
/// }
///
/// tencentcloud_runtime::error_kind! {
///     /// Which documented code `Ping` failed with.
///     pub enum PingErrorKind for PingError {
///         /// The service is busy.
///         Busy = "ResourceBusy",
///     }
/// }
///
/// fn main() {
///     use tencentcloud_runtime::{ActionError, ServiceError};
///     let e = PingError::from_service_error(ServiceError::new("InternalError", "", "r"));
///     assert_eq!(e.kind(), PingErrorKind::Common(errors::CommonErrorKind::InternalError));
///     let e = PingError::from_service_error(ServiceError::new("ResourceBusy", "", "r"));
///     assert_eq!(e.kind(), PingErrorKind::Busy);
///     let e = PingError::from_service_error(ServiceError::new("Nope", "", "r"));
///     assert_eq!(e.kind(), PingErrorKind::Unhandled);
/// }
/// ```
///
/// The invoking crate has `crate::errors::CommonErrorKind`, with
/// `fn from_code(&str) -> Option<CommonErrorKind>`. `[gate]` after the error type's name, when
/// present, is a `cfg` predicate both items get.
// `crate::errors::CommonErrorKind` is meant to name the invoking crate's common kinds.
#[allow(clippy::crate_in_macro_def)]
#[macro_export]
macro_rules! error_kind {
    (
        $(#[$meta:meta])*
        pub enum $kind:ident for $error:ident [$gate:meta] {
            $($(#[$vmeta:meta])* $variant:ident = $code:literal,)*
        }
    ) => {
        $(#[$meta])*
        #[cfg($gate)]
        #[cfg_attr(docsrs, doc(cfg($gate)))]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $kind {
            $($(#[$vmeta])* $variant,)*
            /// An API 3.0 common error that this action does not list.
            Common(crate::errors::CommonErrorKind),
            /// A code this client's spec does not know; the error's `code()` has it verbatim.
            Unhandled,
        }

        #[cfg($gate)]
        impl $crate::ErrorKind for $kind {
            #[inline]
            fn from_code(code: &str) -> Self {
                match code {
                    $($code => Self::$variant,)*
                    other => match crate::errors::CommonErrorKind::from_code(other) {
                        ::core::option::Option::Some(common) => Self::Common(common),
                        ::core::option::Option::None => Self::Unhandled,
                    },
                }
            }
        }

        #[doc = concat!("Why the call failed, when the service answered with an error; [`", stringify!($kind), "`] says which code.")]
        #[cfg($gate)]
        #[cfg_attr(docsrs, doc(cfg($gate)))]
        pub type $error = $crate::CodedError<$kind>;
    };
    (
        $(#[$meta:meta])*
        pub enum $kind:ident for $error:ident { $($variants:tt)* }
    ) => {
        $crate::error_kind! {
            $(#[$meta])*
            pub enum $kind for $error [all()] { $($variants)* }
        }
    };
}
