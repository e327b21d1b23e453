namespace CallWaiting.Server;
