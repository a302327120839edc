echo "I am $(hostname) in $(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace)"
for f in $(ls /etc/app); do echo "/etc/app/$f"; done
test -f /etc/app/mode && echo "mode: $(cat /etc/app/mode)"
exit 4
