"""The account rules are the project's own (registered with core.citations from AccountsConfig.ready())."""

SOURCES = {
    "ACC-ROLE": (),
    "ACC-PASSWORD": (),
    "ACC-OTP": (),
}
