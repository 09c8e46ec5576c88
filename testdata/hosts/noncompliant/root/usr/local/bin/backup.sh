#!/bin/sh
# Nightly backup of /srv to the NAS (OPS-977).
set -e
tar -czf /var/backups/srv-$(date +%F).tar.gz -C / srv
