#!/bin/sh
# The docs page "Managing Kubernetes Objects Using Imperative Commands": before creating the
# Service, set its selector to environment=qa (what `set selector --local` would do).
sed -i '/^  selector:$/{n;s/app: my-svc/environment: qa/}' "$1"
