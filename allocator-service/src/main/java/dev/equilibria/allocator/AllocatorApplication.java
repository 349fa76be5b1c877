package dev.equilibria.allocator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class AllocatorApplication {

    public static void main(String[] args) {
        SpringApplication.run(AllocatorApplication.class, args);
    }
}
