package test.lib.util

root_login := input.sshd.config.permitrootlogin
