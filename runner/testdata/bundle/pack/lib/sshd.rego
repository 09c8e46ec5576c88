package gcrun.bundled.lib.sshd

installed if input.sshd.exists == true

setting(name) := input.sshd.config[name]
