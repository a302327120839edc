#!/bin/sh
# An editor for `kubectl edit` tests: sets spec.replicas (`  replicas: N` in YAML) to 5.
sed -i '0,/^  replicas: [0-9]*$/s//  replicas: 5/' "$1"
