user.* action(type="omfile" file="/var/log/user.log" fileCreateMode="0644")
