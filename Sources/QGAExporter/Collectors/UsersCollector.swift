import QGAMetrics
import QGAProtocol

/// `guest-get-users`: who is logged in, and since when.
struct UsersCollector: ReplyCollector {
    let name = "users"
    let agentCommand = AgentCommand.getUsers

    static func families(_ users: [GuestUser], filters: FilterSet = .defaults) -> [MetricFamily] {
        // The agent lists a user once with their earliest login; keep one series per user@domain.
        var earliest: [String: (user: GuestUser, time: Double)] = [:]
        for user in users {
            let key = "\(user.user)\u{0}\(user.domain ?? "")"
            if let known = earliest[key], known.time <= user.loginTime { continue }
            earliest[key] = (user, user.loginTime)
        }
        let logins = earliest.values.map { entry in
            Sample(labels: [Families.label("user", entry.user.user), Families.label("domain", entry.user.domain ?? "")],
                   value: entry.time)
        }
        var families = [Families.gauge("qga_users", "Number of users logged in to the guest.", [Sample(labels: [], value: Double(earliest.count))])]
        if !logins.isEmpty {
            families.append(Families.gauge("qga_user_login_time_seconds", "Unix time of the user's login.", unit: "seconds", logins))
        }
        return families
    }
}
