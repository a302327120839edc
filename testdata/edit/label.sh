#!/bin/sh
# Adds the label tier=frontend to the first object's labels and sets its image to nginx:1.16.1.
sed -i '0,/^    app: /s/^\(    app: .*\)$/\1\n    tier: frontend/; 0,/- image: nginx.*$/s/- image: nginx.*$/- image: nginx:1.16.1/' "$1"
