package mailroom.mta;

/**
 * The main.cf lines that point Postfix at Mailroom's listeners (docs/mta.md, the set-up this door is
 * built and tested for), printed by {@code mailroom postfix-config}.
 */
public final class PostfixConfig {
    private PostfixConfig() {}

    public static String mainCf(HostPort socketmap, HostPort policy) {
        String map = "socketmap:inet:" + socketmap + ":";
        return """
                virtual_mailbox_domains = %1$sdomain
                virtual_mailbox_maps    = %1$smailbox
                virtual_alias_maps      = %1$salias
                smtpd_sender_login_maps = %1$ssenders
                virtual_alias_domains   =
                virtual_transport       = lmtp:unix:private/dovecot-lmtp
                smtpd_sasl_auth_enable  = yes
                smtpd_sasl_type         = dovecot
                smtpd_sasl_path         = private/auth
                smtpd_relay_restrictions = permit_sasl_authenticated reject_unauth_destination
                smtpd_sender_restrictions = reject_sender_login_mismatch
                smtpd_recipient_restrictions =
                    check_policy_service { inet:%2$s, timeout=10s, { default_action = 451 4.3.5 directory policy unavailable } }
                    reject_unlisted_recipient
                # virtual(8) refuses socketmap for virtual_mailbox_maps: delivery goes to an LMTP server (Dovecot here).
                # An empty virtual_alias_domains stops extra "alias <domain>" look-ups.
                # In a sandbox without DNS or syslog, also set:
                # smtpd_peername_lookup = no
                # disable_dns_lookups = yes
                # smtp_dns_support_level = disabled
                # inet_interfaces = loopback-only
                # maillog_file = /var/log/postfix.log
                """.formatted(map, policy);
    }
}
