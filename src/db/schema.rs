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
        email_pref -> Text,
        sms_pref -> Text,
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
        kept -> Bool,
        device -> Nullable<Text>,
    }
}

diesel::table! {
    form_drafts (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        action -> Text,
        page -> Nullable<Text>,
        fields -> Text,
        had_files -> Bool,
        created_at -> Timestamp,
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
        detail_key -> Nullable<Text>,
        detail_args -> Nullable<Text>,
    }
}

diesel::table! {
    maintenance_plans (id) {
        id -> BigInt,
        gp_id -> BigInt,
        scheme_id -> BigInt,
        asset_id -> Nullable<BigInt>,
        template_code -> Nullable<Text>,
        title -> Text,
        instructions -> Nullable<Text>,
        checklist -> Text,
        readings -> Text,
        water_quality -> Bool,
        every_unit -> Text,
        every_n -> Integer,
        start_on -> Date,
        window_start -> Nullable<Text>,
        window_end -> Nullable<Text>,
        responsible_user_id -> Nullable<BigInt>,
        responsible_role -> Nullable<Text>,
        estimated_cost_paise -> Nullable<BigInt>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    maintenance_tasks (id) {
        id -> BigInt,
        gp_id -> BigInt,
        scheme_id -> BigInt,
        asset_id -> Nullable<BigInt>,
        plan_id -> BigInt,
        due_on -> Date,
        deadline_on -> Date,
        state -> Text,
        done_on -> Nullable<Date>,
        log_id -> Nullable<BigInt>,
        skip_reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    maintenance_logs (id) {
        id -> BigInt,
        gp_id -> BigInt,
        scheme_id -> BigInt,
        asset_id -> Nullable<BigInt>,
        plan_id -> Nullable<BigInt>,
        task_id -> Nullable<BigInt>,
        title -> Text,
        done_on -> Date,
        done_by -> Text,
        checklist -> Text,
        readings -> Text,
        out_of_range -> Bool,
        water_quality -> Bool,
        notes -> Nullable<Text>,
        cost_paise -> Nullable<BigInt>,
        parts -> Text,
        recorded_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    work_photos (id) {
        id -> BigInt,
        gp_id -> BigInt,
        log_id -> Nullable<BigInt>,
        breakdown_id -> Nullable<BigInt>,
        meeting_id -> Nullable<BigInt>,
        sample_id -> Nullable<BigInt>,
        file_name -> Text,
        small_name -> Text,
        mime -> Text,
        bytes -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    breakdowns (id) {
        id -> BigInt,
        gp_id -> BigInt,
        scheme_id -> BigInt,
        asset_id -> Nullable<BigInt>,
        number -> Text,
        category -> Text,
        description -> Text,
        supply -> Text,
        households_affected -> Nullable<Integer>,
        started_at -> Timestamp,
        source -> Text,
        reported_by -> Nullable<BigInt>,
        reporter_name -> Text,
        reporter_phone -> Nullable<Text>,
        from_task_id -> Nullable<BigInt>,
        status -> Text,
        assigned_name -> Nullable<Text>,
        assigned_phone -> Nullable<Text>,
        resolution -> Nullable<Text>,
        cost_paise -> Nullable<BigInt>,
        duplicate_of -> Nullable<BigInt>,
        ack_due_at -> Timestamp,
        resolve_due_at -> Timestamp,
        acknowledged_at -> Nullable<Timestamp>,
        resolved_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        escalation_level -> Integer,
        escalated_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        village_id -> Nullable<BigInt>,
        visit_on -> Nullable<Date>,
    }
}

diesel::table! {
    breakdown_counters (gp_id) {
        gp_id -> BigInt,
        last_number -> BigInt,
    }
}

diesel::table! {
    complaint_attempts (id) {
        id -> BigInt,
        ip -> Text,
        phone -> Text,
        attempted_at -> Timestamp,
    }
}

diesel::table! {
    breakdown_events (id) {
        id -> BigInt,
        gp_id -> BigInt,
        breakdown_id -> BigInt,
        kind -> Text,
        from_status -> Nullable<Text>,
        to_status -> Nullable<Text>,
        note -> Nullable<Text>,
        user_id -> Nullable<BigInt>,
        actor_name -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    households (id) {
        id -> BigInt,
        gp_id -> BigInt,
        village_id -> BigInt,
        scheme_id -> Nullable<BigInt>,
        connection_no -> Text,
        head_name -> Text,
        members -> Nullable<Integer>,
        category -> Text,
        exempt_reason -> Nullable<Text>,
        connected_on -> Date,
        status -> Text,
        disconnected_on -> Nullable<Date>,
        status_reason -> Nullable<Text>,
        phone -> Nullable<Text>,
        notes -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    tariff_plans (id) {
        id -> BigInt,
        gp_id -> BigInt,
        effective_from -> Date,
        connection_charge_paise -> BigInt,
        late_fee_paise -> Nullable<BigInt>,
        late_fee_after_days -> Nullable<Integer>,
        notes -> Nullable<Text>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    tariff_rates (plan_id, category) {
        plan_id -> BigInt,
        category -> Text,
        monthly_paise -> BigInt,
    }
}

diesel::table! {
    demand_runs (id) {
        id -> BigInt,
        gp_id -> BigInt,
        month -> Date,
        plan_id -> BigInt,
        demands -> Integer,
        total_paise -> BigInt,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        cancelled_at -> Nullable<Timestamp>,
        cancelled_by -> Nullable<BigInt>,
        cancel_reason -> Nullable<Text>,
    }
}

diesel::table! {
    demands (id) {
        id -> BigInt,
        gp_id -> BigInt,
        household_id -> BigInt,
        month -> Date,
        run_id -> BigInt,
        amount_paise -> BigInt,
        due_on -> Date,
        created_at -> Timestamp,
        late_fee_paise -> BigInt,
        updated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    receipt_counters (gp_id, fy) {
        gp_id -> BigInt,
        fy -> Text,
        last_number -> BigInt,
    }
}

diesel::table! {
    payments (id) {
        id -> BigInt,
        gp_id -> BigInt,
        household_id -> BigInt,
        fy -> Text,
        seq -> BigInt,
        receipt_no -> Text,
        amount_paise -> BigInt,
        paid_on -> Date,
        mode -> Text,
        reference -> Nullable<Text>,
        collected_by -> Text,
        covers_from -> Nullable<Date>,
        covers_to -> Nullable<Date>,
        balance_after_paise -> BigInt,
        token -> Text,
        idempotency_key -> Nullable<Text>,
        recorded_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        cancelled_at -> Nullable<Timestamp>,
        cancelled_by -> Nullable<BigInt>,
        cancel_reason -> Nullable<Text>,
    }
}

diesel::table! {
    cashbook_entries (id) {
        id -> BigInt,
        gp_id -> BigInt,
        entry_on -> Date,
        kind -> Text,
        head -> Text,
        amount_paise -> BigInt,
        voucher_no -> Nullable<Text>,
        party -> Nullable<Text>,
        mode -> Text,
        reference -> Nullable<Text>,
        breakdown_id -> Nullable<BigInt>,
        task_id -> Nullable<BigInt>,
        notes -> Nullable<Text>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        cancelled_at -> Nullable<Timestamp>,
        cancelled_by -> Nullable<BigInt>,
        cancel_reason -> Nullable<Text>,
    }
}

diesel::table! {
    committees (id) {
        id -> BigInt,
        gp_id -> BigInt,
        village_id -> Nullable<BigInt>,
        name -> Text,
        constituted_on -> Date,
        sc_st_population_percent -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    committee_members (id) {
        id -> BigInt,
        committee_id -> BigInt,
        gp_id -> BigInt,
        name -> Text,
        gender -> Text,
        social_category -> Text,
        role -> Text,
        elected_gp_member -> Bool,
        phone -> Nullable<Text>,
        user_id -> Nullable<BigInt>,
        term_from -> Date,
        term_to -> Nullable<Date>,
        end_reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    meetings (id) {
        id -> BigInt,
        committee_id -> BigInt,
        gp_id -> BigInt,
        kind -> Text,
        held_on -> Date,
        starts_at -> Nullable<Text>,
        venue -> Nullable<Text>,
        status -> Text,
        others_present -> Integer,
        others_women -> Integer,
        approved_at -> Nullable<Timestamp>,
        approved_by -> Nullable<BigInt>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        lang -> Text,
    }
}

diesel::table! {
    meeting_agenda (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        position -> Integer,
        title -> Text,
        discussion -> Nullable<Text>,
        decision -> Nullable<Text>,
    }
}

diesel::table! {
    meeting_attendance (meeting_id, member_id) {
        meeting_id -> BigInt,
        member_id -> BigInt,
    }
}

diesel::table! {
    meeting_addenda (id) {
        id -> BigInt,
        gp_id -> BigInt,
        meeting_id -> BigInt,
        agenda_item_id -> Nullable<BigInt>,
        body -> Text,
        created_by -> Nullable<BigInt>,
        created_by_name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    action_items (id) {
        id -> BigInt,
        gp_id -> BigInt,
        meeting_id -> BigInt,
        agenda_item_id -> Nullable<BigInt>,
        description -> Text,
        owner_member_id -> Nullable<BigInt>,
        due_on -> Date,
        status -> Text,
        closed_on -> Nullable<Date>,
        close_note -> Nullable<Text>,
        closed_by -> Nullable<BigInt>,
        scheme_id -> Nullable<BigInt>,
        asset_id -> Nullable<BigInt>,
        breakdown_id -> Nullable<BigInt>,
        household_id -> Nullable<BigInt>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    supply_schedules (scheme_id) {
        scheme_id -> BigInt,
        gp_id -> BigInt,
        sessions -> Text,
        days_per_week -> Integer,
        updated_by -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    supply_logs (id) {
        id -> BigInt,
        gp_id -> BigInt,
        scheme_id -> BigInt,
        supply_on -> Date,
        source -> Text,
        supplied -> Text,
        reason -> Nullable<Text>,
        sessions -> Text,
        supply_minutes -> Integer,
        pumping_minutes -> Nullable<Integer>,
        bulk_meter_litres -> Nullable<BigInt>,
        bulk_meter_event -> Text,
        bulk_meter_capacity_litres -> Nullable<BigInt>,
        energy_meter_wh -> Nullable<BigInt>,
        energy_meter_event -> Text,
        energy_meter_capacity_wh -> Nullable<BigInt>,
        chlorine_grams -> Nullable<Integer>,
        note -> Nullable<Text>,
        recorded_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(maintenance_tasks -> maintenance_plans (plan_id));

diesel::joinable!(users -> places (place_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(form_drafts -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));

diesel::table! {
    schemes (id) {
        id -> BigInt,
        gp_id -> BigInt,
        code -> Text,
        name -> Text,
        name_hi -> Nullable<Text>,
        imis_id -> Nullable<Text>,
        kind -> Text,
        source_kind -> Nullable<Text>,
        commissioned_on -> Nullable<Date>,
        design_period_years -> Integer,
        design_end_on -> Nullable<Date>,
        design_population -> Nullable<Integer>,
        planned_connections -> Nullable<Integer>,
        operator_name -> Nullable<Text>,
        operator_phone -> Nullable<Text>,
        status -> Text,
        status_changed_at -> Timestamp,
        notes -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    scheme_villages (scheme_id, village_id) {
        scheme_id -> BigInt,
        village_id -> BigInt,
        gp_id -> BigInt,
    }
}

diesel::table! {
    scheme_status_history (id) {
        id -> BigInt,
        gp_id -> BigInt,
        scheme_id -> BigInt,
        status -> Text,
        reason -> Text,
        changed_by -> Nullable<BigInt>,
        changed_by_name -> Text,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    assets (id) {
        id -> BigInt,
        gp_id -> BigInt,
        scheme_id -> BigInt,
        kind -> Text,
        name -> Text,
        installed_on -> Nullable<Date>,
        expected_life_years -> Integer,
        end_of_life_on -> Nullable<Date>,
        capacity -> Nullable<Double>,
        capacity_unit -> Nullable<Text>,
        make -> Nullable<Text>,
        model -> Nullable<Text>,
        serial_no -> Nullable<Text>,
        warranty_until -> Nullable<Date>,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
        replacement_cost_paise -> Nullable<BigInt>,
        notes -> Nullable<Text>,
        status -> Text,
        replaces_id -> Nullable<BigInt>,
        replaced_by_id -> Nullable<BigInt>,
        ended_on -> Nullable<Date>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        name_hi -> Nullable<Text>,
    }
}

diesel::joinable!(schemes -> places (gp_id));
diesel::joinable!(scheme_villages -> schemes (scheme_id));
diesel::joinable!(scheme_status_history -> schemes (scheme_id));
diesel::joinable!(assets -> schemes (scheme_id));
diesel::table! {
    job_leases (name) {
        name -> Text,
        holder -> Text,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    job_state (name) {
        name -> Text,
        last_day -> Date,
    }
}

diesel::table! {
    job_stats (name) {
        name -> Text,
        ok_runs -> BigInt,
        failed_runs -> BigInt,
        last_ok_at -> Nullable<Timestamp>,
        last_failed_at -> Nullable<Timestamp>,
        last_ms -> Nullable<BigInt>,
        done_total -> BigInt,
        raised_total -> BigInt,
        resolved_total -> BigInt,
        failed_total -> BigInt,
    }
}

diesel::table! {
    job_runs (id) {
        id -> BigInt,
        started_by -> Text,
        holder -> Text,
        run_at -> Timestamp,
        started_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        status -> Text,
        counts -> Text,
        errors -> Text,
        abandoned_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    reminders (id) {
        id -> BigInt,
        gp_id -> BigInt,
        user_id -> BigInt,
        rule -> Text,
        subject_kind -> Text,
        subject_id -> BigInt,
        dedupe_key -> Text,
        label -> Text,
        link -> Text,
        due_on -> Nullable<Date>,
        created_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
        resolved_at -> Nullable<Timestamp>,
        email_state -> Text,
        sms_state -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        user_id -> Nullable<BigInt>,
        to_addr -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        message_id -> Text,
        kind -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        failed_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    gp_settings (gp_id) {
        gp_id -> BigInt,
        auto_demands -> Bool,
        updated_by -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    gp_figures (gp_id) {
        gp_id -> BigInt,
        changes -> BigInt,
        computed_changes -> BigInt,
        computed_at -> Nullable<Timestamp>,
        figures -> Nullable<Text>,
    }
}

diesel::table! {
    scheme_figures (scheme_id) {
        scheme_id -> BigInt,
        gp_id -> BigInt,
        computed_changes -> BigInt,
        computed_at -> Timestamp,
        figures -> Text,
    }
}

diesel::table! {
    sampling_points (id) {
        id -> BigInt,
        gp_id -> BigInt,
        scheme_id -> BigInt,
        village_id -> BigInt,
        kind -> Text,
        asset_id -> Nullable<BigInt>,
        name -> Text,
        name_hi -> Nullable<Text>,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    water_testers (id) {
        id -> BigInt,
        gp_id -> BigInt,
        village_id -> BigInt,
        name -> Text,
        phone -> Nullable<Text>,
        trained_on -> Date,
        trained_by -> Text,
        user_id -> Nullable<BigInt>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    water_samples (id) {
        id -> BigInt,
        gp_id -> BigInt,
        point_id -> BigInt,
        kind -> Text,
        sampled_on -> Date,
        tested_on -> Date,
        tester_id -> Nullable<BigInt>,
        laboratory -> Nullable<Text>,
        lab_sample_no -> Nullable<Text>,
        kit_batch -> Nullable<Text>,
        kit_expires_on -> Nullable<Date>,
        overall_class -> Text,
        standard_version -> Text,
        notes -> Nullable<Text>,
        recorded_by -> Nullable<BigInt>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    water_sample_values (id) {
        id -> BigInt,
        gp_id -> BigInt,
        sample_id -> BigInt,
        parameter -> Text,
        unit -> Text,
        value_micro -> Nullable<BigInt>,
        present -> Nullable<Bool>,
        agreeable -> Nullable<Bool>,
        class -> Text,
    }
}

diesel::joinable!(sampling_points -> schemes (scheme_id));
diesel::joinable!(water_samples -> sampling_points (point_id));
diesel::joinable!(water_sample_values -> water_samples (sample_id));

diesel::table! {
    har_ghar_jal (id) {
        id -> BigInt,
        gp_id -> BigInt,
        village_id -> BigInt,
        every_household_tap -> Bool,
        schools_connected -> Bool,
        anganwadis_connected -> Bool,
        no_leakages -> Bool,
        roads_restored -> Bool,
        resolution_on -> Nullable<Date>,
        notes -> Nullable<Text>,
        status -> Text,
        reported_on -> Nullable<Date>,
        reported_by -> Nullable<BigInt>,
        reported_by_name -> Nullable<Text>,
        certified_on -> Nullable<Date>,
        certified_by -> Nullable<BigInt>,
        certified_by_name -> Nullable<Text>,
        updated_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    har_ghar_jal_documents (id) {
        id -> BigInt,
        gp_id -> BigInt,
        har_ghar_jal_id -> BigInt,
        file_name -> Text,
        small_name -> Text,
        mime -> Text,
        bytes -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::joinable!(har_ghar_jal_documents -> har_ghar_jal (har_ghar_jal_id));

diesel::table! {
    supply_devices (id) {
        id -> BigInt,
        gp_id -> BigInt,
        scheme_id -> BigInt,
        name -> Text,
        token_hash -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        revoked_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    supply_readings (id) {
        id -> BigInt,
        gp_id -> BigInt,
        scheme_id -> BigInt,
        device_id -> BigInt,
        read_at -> Timestamp,
        read_on -> Date,
        bulk_meter_litres -> Nullable<BigInt>,
        energy_meter_wh -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    supply_watch (scheme_id, rule) {
        scheme_id -> BigInt,
        rule -> Text,
        gp_id -> BigInt,
        period -> Text,
        figure -> Text,
        link -> Text,
        checked_on -> Date,
    }
}

diesel::joinable!(supply_readings -> supply_devices (device_id));

diesel::table! {
    water_incidents (id) {
        id -> BigInt,
        gp_id -> BigInt,
        point_id -> BigInt,
        scheme_id -> BigInt,
        grp -> Text,
        parameters -> Text,
        status -> Text,
        opened_sample_id -> BigInt,
        detected_on -> Date,
        laboratory -> Nullable<Text>,
        sent_on -> Nullable<Date>,
        lab_sample_id -> Nullable<BigInt>,
        retest_sample_id -> Nullable<BigInt>,
        due_on -> Nullable<Date>,
        opened_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    water_incident_events (id) {
        id -> BigInt,
        gp_id -> BigInt,
        incident_id -> BigInt,
        kind -> Text,
        from_status -> Nullable<Text>,
        to_status -> Nullable<Text>,
        sample_id -> Nullable<BigInt>,
        action -> Nullable<Text>,
        done_on -> Nullable<Date>,
        done_by -> Nullable<Text>,
        note -> Nullable<Text>,
        user_id -> Nullable<BigInt>,
        actor_name -> Text,
        at -> Timestamp,
    }
}

diesel::joinable!(water_incidents -> sampling_points (point_id));
diesel::joinable!(water_incident_events -> water_incidents (incident_id));

diesel::table! {
    sanitary_inspections (id) {
        id -> BigInt,
        gp_id -> BigInt,
        point_id -> BigInt,
        checklist -> Text,
        inspected_on -> Date,
        inspector -> Text,
        answers -> Text,
        score -> Integer,
        questions -> Integer,
        band -> Text,
        checklist_version -> Text,
        notes -> Nullable<Text>,
        recorded_by -> Nullable<BigInt>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    water_check_plans (plan_id) {
        plan_id -> BigInt,
        gp_id -> BigInt,
        point_id -> BigInt,
        check_kind -> Text,
    }
}

diesel::table! {
    water_check_done (task_id) {
        task_id -> BigInt,
        gp_id -> BigInt,
        sample_id -> Nullable<BigInt>,
        inspection_id -> Nullable<BigInt>,
    }
}

diesel::joinable!(sanitary_inspections -> sampling_points (point_id));
diesel::joinable!(water_check_plans -> maintenance_plans (plan_id));
diesel::joinable!(water_check_done -> maintenance_tasks (task_id));

diesel::table! {
    water_kit_batches (id) {
        id -> BigInt,
        gp_id -> BigInt,
        kind -> Text,
        batch -> Text,
        received_on -> Date,
        expires_on -> Date,
        tests -> BigInt,
        supplied_by -> Nullable<Text>,
        notes -> Nullable<Text>,
        recorded_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sms_outbox (id) {
        id -> BigInt,
        gp_id -> Nullable<BigInt>,
        to_number -> Text,
        msg_key -> Text,
        lang -> Text,
        vars -> Text,
        body -> Text,
        dlt_template_id -> Text,
        unicode -> Bool,
        transport -> Nullable<Text>,
        status -> Text,
        urgent -> Bool,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        lease_until -> Nullable<Timestamp>,
        provider_id -> Nullable<Text>,
        cost_paise -> Nullable<BigInt>,
        last_error -> Nullable<Text>,
        dedupe_key -> Text,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        delivered_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sms_links (token) {
        token -> Text,
        path -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sms_gp_off (gp_id, msg_key) {
        gp_id -> BigInt,
        msg_key -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    complaint_langs (gp_id, breakdown_id) {
        gp_id -> BigInt,
        breakdown_id -> BigInt,
        lang -> Text,
    }
}

diesel::table! {
    login_codes (id) {
        id -> BigInt,
        user_id -> Nullable<BigInt>,
        phone_key -> Text,
        code_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        tries -> Integer,
        used_at -> Nullable<Timestamp>,
        ip -> Text,
    }
}

diesel::joinable!(login_codes -> users (user_id));

diesel::table! {
    idempotent_requests (id) {
        id -> BigInt,
        user_id -> BigInt,
        idem_key -> Text,
        request_hash -> Text,
        method -> Text,
        path -> Text,
        nonce -> Text,
        entity -> Nullable<Text>,
        entity_id -> Nullable<BigInt>,
        device_at -> Nullable<Timestamp>,
        status -> Nullable<Integer>,
        location -> Nullable<Text>,
        content_type -> Nullable<Text>,
        body -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(idempotent_requests -> users (user_id));

diesel::table! {
    receipt_books (id) {
        id -> BigInt,
        gp_id -> BigInt,
        fy -> Text,
        collector_id -> BigInt,
        device_label -> Nullable<Text>,
        first_seq -> BigInt,
        last_seq -> BigInt,
        status -> Text,
        issued_by -> BigInt,
        issued_at -> Timestamp,
        updated_at -> Timestamp,
        closed_by -> Nullable<BigInt>,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    receipt_leaves (id) {
        id -> BigInt,
        gp_id -> BigInt,
        fy -> Text,
        seq -> BigInt,
        book_id -> BigInt,
        fate -> Text,
        reason -> Nullable<Text>,
        by_user -> BigInt,
        at -> Timestamp,
    }
}

diesel::joinable!(receipt_leaves -> receipt_books (book_id));

diesel::table! {
    deletions (id) {
        id -> BigInt,
        entity -> Text,
        entity_id -> BigInt,
        gp_id -> BigInt,
        deleted_at -> Timestamp,
    }
}

diesel::joinable!(deletions -> places (gp_id));

diesel::allow_tables_to_appear_in_same_query!(
    places,
    users,
    sessions,
    form_drafts,
    api_tokens,
    login_attempts,
    audit_log,
    schemes,
    scheme_villages,
    scheme_status_history,
    assets,
    maintenance_plans,
    maintenance_tasks,
    maintenance_logs,
    work_photos,
    breakdowns,
    breakdown_events,
    breakdown_counters,
    complaint_attempts,
    households,
    tariff_plans,
    tariff_rates,
    demand_runs,
    demands,
    receipt_counters,
    payments,
    cashbook_entries,
    committees,
    committee_members,
    meetings,
    meeting_agenda,
    meeting_attendance,
    meeting_addenda,
    action_items,
    job_leases,
    job_state,
    job_stats,
    job_runs,
    reminders,
    outbox,
    gp_settings,
    gp_figures,
    supply_schedules,
    supply_logs,
    scheme_figures,
    sampling_points,
    water_testers,
    water_samples,
    water_sample_values,
    har_ghar_jal,
    har_ghar_jal_documents,
    supply_devices,
    supply_readings,
    supply_watch,
    water_incidents,
    water_incident_events,
    sanitary_inspections,
    water_check_plans,
    water_check_done,
    water_kit_batches,
    sms_outbox,
    sms_links,
    sms_gp_off,
    complaint_langs,
    login_codes,
    idempotent_requests,
    receipt_books,
    receipt_leaves,
    deletions,
);
