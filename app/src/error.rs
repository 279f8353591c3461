//! The app's one error type. It keeps what went wrong (no answer, the server's stable
//! `shared::ErrorCode`, the device's storage, a sync rule) and is worded in Dutch only where it is
//! shown: `AppError::user_message` and `AppError::sync_message` live with the texts in
//! `strings.rs`, and only views call them.

use shared::ErrorCode;

#[derive(Debug, Clone, PartialEq)]
pub enum AppError {
    /// No answer at all: offline, server down, or the request was cut off.
    Network,
    /// The server answered with the API's error format. `code` is `None` for a code this app does
    /// not know (a newer server); `message` is what the server said, shown only then.
    Api {
        status: u16,
        code: Option<ErrorCode>,
        message: String,
    },
    /// The device's storage failed: IndexedDB unavailable, a transaction aborted, or a record the
    /// action needs is missing. Nothing was changed. The detail is for the log, never shown.
    Storage(String),
    /// The server answered none of the pushed mutations; they are sent again later.
    NoAnswer,
    /// The device holds unsent work of another user, which is never sent for someone else.
    OtherUser,
    /// A shared rule refused what was entered on the device; nothing was saved.
    Rule(ErrorCode),
    /// The server kept refusing a push with this code (a `seq` gap that renumbering did not close).
    Refused(ErrorCode),
}

impl AppError {
    /// The server's error answer: its code as the app knows it, and its message.
    pub fn api(status: u16, code: &str, message: String) -> AppError {
        AppError::Api {
            status,
            code: ErrorCode::parse(code),
            message,
        }
    }

    /// An answer that is not in the API's format.
    pub fn internal(status: u16) -> AppError {
        AppError::Api {
            status,
            code: Some(ErrorCode::Internal),
            message: String::new(),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
