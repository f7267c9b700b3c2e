from grassroots.accounts import services
from grassroots.core.commands import ScopedCommand
from grassroots.core.roles import Role


class Command(ScopedCommand):
    help = "Create a user (or reuse one) and grant a role on an org: user_add NAME --password P --org CODE --role R"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("username")
        parser.add_argument("--password", required=True)
        parser.add_argument("--org", required=True, help="org code")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--name", default="", help="display name")

    def handle_scoped(self, scope, actor, *args, **opts):
        user = services.user_add(
            scope=scope,
            actor=actor,
            username=opts["username"],
            password=opts["password"],
            org_code=opts["org"],
            role=opts["role"],
            display_name=opts["name"],
        )
        self.stdout.write(f"{user.username}: {opts['role']} @ {opts['org']}")
