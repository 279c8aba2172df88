//! The hand-kept schema, portable across SQLite and PostgreSQL (see migrations/).

diesel::table! {
    places (id) {
        id -> BigInt,
        level -> Text,
        lgd_code -> BigInt,
        name -> Text,
        name_hi -> Nullable<Text>,
        parent_id -> Nullable<BigInt>,
        state_id -> Nullable<BigInt>,
        district_id -> Nullable<BigInt>,
        block_id -> Nullable<BigInt>,
        gp_id -> Nullable<BigInt>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        display_name -> Text,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        role -> Text,
        place_id -> Nullable<BigInt>,
        lang -> Text,
        active -> Bool,
        password_hash -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        csrf_token -> Text,
        lang -> Nullable<Text>,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> BigInt,
        username -> Text,
        ip -> Text,
        attempted_at -> Timestamp,
        succeeded -> Bool,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        user_id -> Nullable<BigInt>,
        actor_name -> Text,
        action -> Text,
        entity -> Text,
        entity_id -> Nullable<BigInt>,
        summary -> Text,
        ip -> Nullable<Text>,
    }
}

diesel::joinable!(users -> places (place_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(
    places,
    users,
    sessions,
    api_tokens,
    login_attempts,
    audit_log
);
