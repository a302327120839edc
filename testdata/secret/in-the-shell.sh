ls /etc/secret-volume
echo "$( cat /etc/secret-volume/username )"
echo "$( cat /etc/secret-volume/password )"
