/* cc -o hello hello.c $(pkg-config --cflags --libs netns) */
#include <netns/netns.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    char id[64];
    int ns = netns_get(); /* this thread's network namespace */
    if (ns < 0) {
        fprintf(stderr, "netns_get: %s\n", strerror(-ns));
        return 1;
    }
    netns_unique_id(ns, id, sizeof id);
    printf("libnetns %s: this thread is in %s\n", netns_version(), id);
    netns_close(&ns);
    return 0;
}
