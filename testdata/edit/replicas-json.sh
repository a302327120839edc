#!/bin/sh
# An editor for `kubectl edit -o json`: sets spec.replicas (`        "replicas": N,`) to 4.
sed -i '0,/^        "replicas": [0-9]*,$/s//        "replicas": 4,/' "$1"
