//! Query parameters as the OpenAPI document types them: a value the document calls invalid is
//! 400 `request.invalid`, never silently read as something else.

use shared::ErrorCode;

/// A `format: uuid` parameter: the hyphenated form only (`uuid` itself would also take the
/// simple, braced and URN forms, which the document does not allow).
pub fn uuid(text: &str) -> Result<uuid::Uuid, ErrorCode> {
    uuid::Uuid::parse_str(text)
        .ok()
        .filter(|_| text.len() == 36)
        .ok_or(ErrorCode::RequestInvalid)
}

/// An optional `format: uuid` parameter: absent is `None`, present must be a hyphenated UUID.
pub fn optional_uuid(text: Option<&str>) -> Result<Option<uuid::Uuid>, ErrorCode> {
    text.map(uuid).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_hyphenated_form_is_a_uuid() {
        let id = "6f1c2d3e-0000-4000-8000-00000000000a";
        assert_eq!(uuid(id).map(|u| u.to_string()).as_deref(), Ok(id));
        assert!(uuid(&id.to_uppercase()).is_ok());
        for bad in [
            "",
            "not-a-uuid",
            "GM0197",
            "6f1c2d3e000040008000000000000000",
            "{6f1c2d3e-0000-4000-8000-00000000000a}",
            "urn:uuid:6f1c2d3e-0000-4000-8000-00000000000a",
            " 6f1c2d3e-0000-4000-8000-00000000000a",
        ] {
            assert_eq!(uuid(bad), Err(ErrorCode::RequestInvalid), "{bad:?}");
        }
    }
}
